/** The incidents of the system's agency detected in the look-back window. */
import type { IncidentFacts } from '../ports';
import { DAY_MS, type EvidenceContext } from './types';

export async function incidentsInWindow(ctx: EvidenceContext): Promise<IncidentFacts[] | undefined> {
  const port = ctx.ports.incidents;
  if (port === undefined) return undefined;
  return port.incidents({ organizations: ctx.organizations, from: ctx.now - ctx.config.lookbackDays * DAY_MS, to: ctx.now + 1 });
}

export const NO_INCIDENT_PORT = { vi: 'Chưa kết nối quản lý sự cố', en: 'Incident management not connected' };

export function minutesText(minutes: number): { vi: string; en: string } {
  if (minutes < 120) return { vi: `${Math.round(minutes)} phút`, en: `${Math.round(minutes)} min` };
  const hours = Math.round((minutes / 60) * 10) / 10;
  return { vi: `${hours} giờ`, en: `${hours} h` };
}
