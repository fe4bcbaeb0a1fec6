/**
 * What an alert is about, as entities the grouping index can look up: the configured ECS fields
 * (host, user, source and destination address) from the alert's group and its sample events, and
 * the ids of its events, which a correlation alert shares with the alerts it was built from.
 */
import type { EcsEvent } from '../../core/event';
import { fieldText } from '../alerts/dedup';
import type { Alert } from '../alerts/types';
import { EVENT_ENTITY } from './store';
import type { IncidentEntity } from './types';

/** Host names compare case-insensitively (DNS); other values as written. */
const CASE_INSENSITIVE_FIELDS = new Set(['host.name', 'host.hostname', 'destination.domain', 'source.domain']);

/** Distinct entities in the order first added. */
class EntityList {
  private readonly seen = new Set<string>();
  readonly out: IncidentEntity[] = [];

  constructor(private readonly ignored: ReadonlySet<string>) {}

  add(kind: string, raw: string | undefined): void {
    if (raw === undefined) return;
    let value = raw.trim();
    if (value === '' || this.ignored.has(value.toLowerCase())) return;
    if (CASE_INSENSITIVE_FIELDS.has(kind)) value = value.toLowerCase();
    const key = kind + '\u0000' + value;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.out.push({ kind, value });
  }
}

export class AlertEntityExtractor {
  private readonly fields: readonly string[];
  private readonly ignored: Set<string>;

  constructor(fields: readonly string[], ignoreValues: readonly string[]) {
    this.fields = fields;
    this.ignored = new Set(ignoreValues.map((v) => v.toLowerCase()));
  }

  /** Distinct entities, in field order then event order; event ids last. */
  entitiesOf(alert: Alert): IncidentEntity[] {
    const list = new EntityList(this.ignored);
    this.addFields(list, alert.group, alert.events);
    for (const id of alert.event_ids) list.add(EVENT_ENTITY, id);
    return list.out;
  }

  /**
   * The field entities alone (entitiesOf without the event ids): what the group and the sample
   * say, which stays the same while the sample does.
   */
  fieldEntitiesOf(group: Readonly<Record<string, string>>, events: readonly EcsEvent[]): IncidentEntity[] {
    const list = new EntityList(this.ignored);
    this.addFields(list, group, events);
    return list.out;
  }

  /** Event ids as entities, ignored values dropped. */
  eventEntitiesOf(ids: readonly string[]): IncidentEntity[] {
    const list = new EntityList(this.ignored);
    for (const id of ids) list.add(EVENT_ENTITY, id);
    return list.out;
  }

  private addFields(list: EntityList, group: Readonly<Record<string, string>>, events: readonly EcsEvent[]): void {
    for (const field of this.fields) {
      list.add(field, group[field]);
      for (const event of events) list.add(field, fieldText(event, field));
    }
  }
}
