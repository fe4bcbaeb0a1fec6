/**
 * The data a playbook's templates and conditions see: the alert, the entities it is about, the
 * playbook's vars, earlier steps' outputs, and (inside foreach) the current item.
 */
import type { Alert } from '../correlation/alerts/types';

export interface AlertEntities {
  ips: string[];
  source_ips: string[];
  destination_ips: string[];
  hosts: string[];
  users: string[];
  hashes: string[];
  domains: string[];
  /** Threat-intel alerts: the matched indicator values. */
  indicators: string[];
}

function push(list: string[], value: unknown): void {
  if (typeof value === 'string' && value !== '' && !list.includes(value)) list.push(value);
}

/** Distinct addresses, hosts, users, hashes and domains from the alert's group and first events. */
export function alertEntities(alert: Alert): AlertEntities {
  const e: AlertEntities = { ips: [], source_ips: [], destination_ips: [], hosts: [], users: [], hashes: [], domains: [], indicators: [] };
  const g = alert.group;
  push(e.source_ips, g['source.ip']);
  push(e.destination_ips, g['destination.ip']);
  push(e.hosts, g['host.name']);
  push(e.users, g['user.name']);
  push(e.indicators, g['threat.indicator.name']);
  for (const ev of alert.events) {
    push(e.source_ips, ev.source?.ip);
    push(e.destination_ips, ev.destination?.ip);
    push(e.hosts, ev.host?.name ?? ev.host?.hostname);
    push(e.users, ev.user?.name);
    push(e.hashes, ev.file?.hash?.sha256);
    push(e.hashes, ev.file?.hash?.md5);
    push(e.domains, ev.destination?.domain);
    push(e.domains, ev.url?.domain);
  }
  for (const ip of e.source_ips) push(e.ips, ip);
  for (const ip of e.destination_ips) push(e.ips, ip);
  return e;
}

export interface RunScopeInput {
  alert: Alert;
  playbook: { id: string; name: string };
  run: { id: string; dry_run: boolean; manual: boolean; trigger: string };
  socEmail: readonly string[];
  agencyNames: ReadonlyMap<string, string>;
}

/** The alert with its agency's name, which templates show ("Agency: Sở Y tế"), filled in from the configuration when the events had only the id. */
function withAgencyName(alert: Alert, names: ReadonlyMap<string, string>): Alert {
  const org = alert.organization;
  const name = org.name === undefined ? names.get(org.id) : undefined;
  return name === undefined ? alert : { ...alert, organization: { id: org.id, name } };
}

/** Base scope of a run; `vars`, `steps`, `item` and `index` are added as the run proceeds. */
export function runScope(input: RunScopeInput): Record<string, unknown> {
  return {
    alert: withAgencyName(input.alert, input.agencyNames),
    entities: alertEntities(input.alert),
    event: input.alert.events[0] ?? null,
    playbook: input.playbook,
    run: input.run,
    soc_email: [...input.socEmail],
    vars: {},
    steps: {},
    item: null,
    index: null,
  };
}
