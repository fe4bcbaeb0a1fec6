/** Test helpers: the correlation fixtures' events (real ASA, web and sshd lines) turned into alert hits. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EcsEvent } from '../../../core/event';
import { entityGroup } from '../dedup';
import { ruleAlertInfo, type RuleAlertInfo } from '../rule-info';
import type { AlertHit } from '../types';

export const EVENTS: EcsEvent[] = readFileSync(join(__dirname, '..', '..', 'testdata', 'events.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l !== '')
  .map((l) => JSON.parse(l) as EcsEvent);

export const byId = (id: string): EcsEvent => {
  const e = EVENTS.find((x) => x.event.id === id);
  if (e === undefined) throw new Error(`fixture event ${id} not found`);
  return e;
};

export const DENY_RULE: RuleAlertInfo = ruleAlertInfo(
  {
    id: '5b0e3c55-3f1c-4f55-9a43-2a43e0b0f001',
    title: 'Inbound connection denied to an administrative port',
    level: 'low',
    tags: ['attack.discovery', 'attack.t1046', 'attack.reconnaissance', 'attack.t1595.001'],
    raw: {},
  },
  'socnoc',
);

export const WEB_RULE: RuleAlertInfo = ruleAlertInfo(
  { id: 'web-1', title: 'Path traversal in a web request', level: 'high', tags: ['attack.initial-access', 'attack.t1190'], raw: { socnoc: { dedup_window: '1h' } } },
  'socnoc',
);

export function hitOf(info: RuleAlertInfo, event: EcsEvent, group = entityGroup(event, ['source.ip', 'user.name', 'host.name'], false)): AlertHit {
  return {
    rule: info.rule,
    mappings: info.mappings,
    organization: event.organization!,
    time: Date.parse(event['@timestamp']),
    group,
    events: [event],
    dedupWindowMs: info.dedupWindowMs,
  };
}
