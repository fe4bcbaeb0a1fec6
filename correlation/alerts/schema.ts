/**
 * The alerts tables (migration namespace `alerts`). Append-only: never edit a shipped migration,
 * add the next.
 *
 * One row per alert, kept small because deduplication rewrites it: columns hold what is filtered,
 * sorted or counted; `record` holds what never changes after creation (rule, mappings,
 * organization, group); `doc` is the
 * search projection the query language runs on: the first event's ECS fields overlaid with the
 * alert's own (as Kibana's alert documents carry their source event's fields), so
 * `source.ip:203.0.113.45 and rule.name:*brute*` works on alerts as on events. `alerts_fts` indexes
 * the rule title, tags, group key and first message for free text. `alert_events` holds the first
 * matching event ids (bounded) and, for the first few, the events themselves (the sample): one
 * insert per new event instead of rewriting a growing JSON list.
 */
import type { EventTableLayout } from '../../core/query/to-sql';

export const ALERT_MIGRATIONS: readonly string[] = [
  `CREATE TABLE alerts (
     seq INTEGER PRIMARY KEY,
     id TEXT NOT NULL UNIQUE,
     org TEXT NOT NULL,
     status TEXT NOT NULL,
     severity TEXT NOT NULL,
     severity_rank INTEGER NOT NULL,
     rule_id TEXT NOT NULL,
     dedup_key TEXT NOT NULL,
     group_key TEXT NOT NULL,
     first_seen INTEGER NOT NULL,
     last_seen INTEGER NOT NULL,
     count INTEGER NOT NULL,
     created_at INTEGER NOT NULL,
     updated_at INTEGER NOT NULL,
     n_events INTEGER NOT NULL,
     n_event_ids INTEGER NOT NULL,
     record TEXT NOT NULL,
     doc TEXT NOT NULL
   );
   CREATE INDEX alerts_by_last_seen ON alerts (last_seen DESC, id DESC);
   CREATE INDEX alerts_by_org_last_seen ON alerts (org, last_seen DESC, id DESC);
   CREATE INDEX alerts_by_dedup_key ON alerts (dedup_key, last_seen DESC);
   CREATE INDEX alerts_by_rule ON alerts (rule_id, last_seen DESC);
   CREATE TABLE alert_events (
     alert_seq INTEGER NOT NULL REFERENCES alerts (seq) ON DELETE CASCADE,
     pos INTEGER NOT NULL,
     event_id TEXT,
     event TEXT,
     PRIMARY KEY (alert_seq, pos)
   ) WITHOUT ROWID;
   CREATE UNIQUE INDEX alert_events_by_id ON alert_events (alert_seq, event_id);
   CREATE INDEX alert_events_by_event ON alert_events (event_id);
   CREATE VIRTUAL TABLE alerts_fts USING fts5(text, tokenize = 'unicode61');`,
  // 2: the lifecycle (issue 6). History rows are append-only; a comment is a history row. No
  // index on status or severity: deduplication rewrites last_seen on every fold, and each index
  // holding it would be rewritten too.
  `ALTER TABLE alerts ADD COLUMN assignee TEXT;
   ALTER TABLE alerts ADD COLUMN updated_by TEXT;
   CREATE INDEX alerts_by_assignee ON alerts (assignee) WHERE assignee IS NOT NULL;
   CREATE TABLE alert_history (
     id INTEGER PRIMARY KEY,
     alert_seq INTEGER NOT NULL REFERENCES alerts (seq) ON DELETE CASCADE,
     time INTEGER NOT NULL,
     actor TEXT NOT NULL,
     kind TEXT NOT NULL,
     from_value TEXT,
     to_value TEXT,
     text TEXT
   );
   CREATE INDEX alert_history_by_alert ON alert_history (alert_seq, id);
   CREATE TABLE alert_suppressions (
     id TEXT PRIMARY KEY,
     rule_id TEXT NOT NULL,
     org TEXT,
     matchers TEXT NOT NULL,
     reason TEXT NOT NULL,
     owner TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     expires_at INTEGER,
     hits INTEGER NOT NULL DEFAULT 0,
     last_hit INTEGER
   );`,
];

/** How the query compiler (core/query/to-sql.ts) sees the alerts table. */
export const ALERT_TABLE_LAYOUT: EventTableLayout = {
  table: 'alerts',
  docColumn: 'doc',
  // json_set rewrites the text on every fold: do not rely on JSON.stringify's exact output.
  docIsJsonText: false,
  hotColumns: {
    status: { column: 'status', type: 'keyword' },
    severity: { column: 'severity', type: 'keyword' },
    'rule.id': { column: 'rule_id', type: 'keyword' },
    'organization.id': { column: 'org', type: 'keyword' },
    group_key: { column: 'group_key', type: 'keyword' },
    assignee: { column: 'assignee', type: 'keyword' },
    first_seen: { column: 'first_seen', type: 'epoch_ms' },
    last_seen: { column: 'last_seen', type: 'epoch_ms' },
    '@timestamp': { column: 'last_seen', type: 'epoch_ms' },
  },
  ftsTable: 'alerts_fts',
  textField: 'message',
};
