/** Login, logout, who am I, and the agencies the caller may see. */
import { api } from './client';
import type { Agency, Me } from './types';

export const sessionApi = {
  login: (username: string, password: string): Promise<unknown> => api.post('/auth/login', { username, password }),
  logout: (): Promise<void> => api.post('/auth/logout', {}),
  me: (): Promise<Me> => api.get<Me>('/auth/me'),
  setLocale: (locale: 'vi' | 'en'): Promise<Me> => api.patch<Me>('/auth/me', { locale }),
  changePassword: (currentPassword: string, newPassword: string): Promise<void> => api.post('/auth/password', { currentPassword, newPassword }),
  agencies: async (): Promise<Agency[]> => (await api.get<{ agencies: Agency[] }>('/console/agencies')).agencies,
  settings: (): Promise<{ refreshSeconds: number }> => api.get('/console/settings'),
};
