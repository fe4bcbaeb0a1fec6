/** Users, API tokens and rules (core and correlation routes). */
import { api } from './client';
import type { Role, RuleError, RuleList, RuleSummary, TokenJson, UserJson } from './types';

export const usersApi = {
  list: async (): Promise<UserJson[]> => (await api.get<{ users: UserJson[] }>('/users')).users,
  create: (body: { username: string; password: string; role: Role; agencies: string[] }): Promise<UserJson> => api.post('/users', body),
  update: (username: string, body: { role?: Role; agencies?: string[]; disabled?: boolean; password?: string }): Promise<UserJson> =>
    api.patch(`/users/${encodeURIComponent(username)}`, body),
  remove: (username: string): Promise<void> => api.del(`/users/${encodeURIComponent(username)}`),
};

export const tokensApi = {
  list: async (username?: string): Promise<TokenJson[]> => (await api.get<{ tokens: TokenJson[] }>('/tokens', { username })).tokens,
  create: (body: { name: string; ttlDays?: number; username?: string }): Promise<TokenJson & { token: string }> => api.post('/tokens', body),
  revoke: (id: string): Promise<void> => api.del(`/tokens/${encodeURIComponent(id)}`),
};

export const rulesApi = {
  list: (params: { search?: string; kind?: string; level?: string; enabled?: string; limit?: number } = {}): Promise<RuleList> => api.get<RuleList>('/rules', { limit: 10000, ...params }),
  setEnabled: (id: string, enabled: boolean): Promise<RuleSummary> => api.patch(`/rules/${encodeURIComponent(id)}`, { enabled }),
  errors: (): Promise<{ total: number; loaded_at: string | null; files: number; errors: RuleError[] }> => api.get('/rules/errors'),
};
