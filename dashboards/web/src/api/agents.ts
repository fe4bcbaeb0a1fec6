/** Endpoint agents (core/agents/http.ts): list, revoke, enrolment tokens. */
import { api } from './client';

export interface Agent {
  id: string;
  hostname: string;
  status: 'online' | 'offline';
  last_seen: string;
  version: string;
  organization: { id: string };
  group: string;
  enrolled_at: string;
  address: string;
  revoked: boolean;
}

export interface EnrollmentToken {
  id: string;
  agency: string;
  group: string;
  max_uses: number;
  uses: number;
  expires_at: string;
  created_at: string;
  created_by: string;
  revoked: boolean;
}

export const agentsApi = {
  list: async (): Promise<Agent[]> => (await api.get<{ agents: Agent[] }>('/agents')).agents,
  revoke: (id: string): Promise<Agent> => api.post(`/agents/${encodeURIComponent(id)}/revoke`, {}),
  tokens: async (): Promise<EnrollmentToken[]> => (await api.get<{ tokens: EnrollmentToken[] }>('/agents/enrollment-tokens')).tokens,
  createToken: (body: { agency: string; uses: number; expires: string; group?: string }): Promise<EnrollmentToken & { token: string }> => api.post('/agents/enrollment-tokens', body),
  revokeToken: (id: string): Promise<void> => api.del(`/agents/enrollment-tokens/${encodeURIComponent(id)}`),
};
