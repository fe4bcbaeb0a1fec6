/**
 * What an alert is about, as entities the grouping index can look up: the configured ECS fields
 * (host, user, source and destination address) from the alert's group and its sample events, and
 * the ids of its events, which a correlation alert shares with the alerts it was built from.
 */
import { fieldText } from '../alerts/dedup';
import type { Alert } from '../alerts/types';
import { EVENT_ENTITY } from './store';
import type { IncidentEntity } from './types';

/** Host names compare case-insensitively (DNS); other values as written. */
const CASE_INSENSITIVE_FIELDS = new Set(['host.name', 'host.hostname', 'destination.domain', 'source.domain']);

export class AlertEntityExtractor {
  private readonly fields: readonly string[];
  private readonly ignored: Set<string>;

  constructor(fields: readonly string[], ignoreValues: readonly string[]) {
    this.fields = fields;
    this.ignored = new Set(ignoreValues.map((v) => v.toLowerCase()));
  }

  /** Distinct entities, in field order then event order; event ids last. */
  entitiesOf(alert: Alert): IncidentEntity[] {
    const seen = new Set<string>();
    const out: IncidentEntity[] = [];
    const add = (kind: string, raw: string | undefined): void => {
      if (raw === undefined) return;
      let value = raw.trim();
      if (value === '' || this.ignored.has(value.toLowerCase())) return;
      if (CASE_INSENSITIVE_FIELDS.has(kind)) value = value.toLowerCase();
      const key = kind + '\u0000' + value;
      if (seen.has(key)) return;
      seen.add(key);
      out.push({ kind, value });
    };
    for (const field of this.fields) {
      add(field, alert.group[field]);
      for (const event of alert.events) add(field, fieldText(event, field));
    }
    for (const id of alert.event_ids) add(EVENT_ENTITY, id);
    return out;
  }
}
