/** The logged-in user as the views see it: who, what they may do, the agency in view. */
import { createContext, useContext } from 'react';
import type { Agency, Me } from './api/types';

export interface Session {
  me: Me;
  /** Agencies the user may see, with names. */
  agencies: Agency[];
  /** Agency in view; '' means all of the user's agencies. */
  agency: string;
  setAgency(id: string): void;
  refreshSeconds: number;
  can(permission: string): boolean;
  logout(): void;
}

export const SessionContext = createContext<Session | undefined>(undefined);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside a logged-in shell');
  return s;
}

export function agencyName(session: Session, id: string): string {
  return session.agencies.find((a) => a.id === id)?.name ?? id;
}
