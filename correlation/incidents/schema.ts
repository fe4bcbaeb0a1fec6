/**
 * The incidents tables (migration namespace `incidents`). Append-only: add migrations, never edit.
 *
 * - `incidents`: one row per incident; `details` holds the free-text fields of the regulatory
 *   forms as JSON (read whole, never filtered on).
 * - `incident_alerts`: which incident each alert belongs to; the primary key on the alert id makes
 *   grouping idempotent (an alert never joins twice, nor two incidents).
 * - `incident_entities`: the entity index (agency, kind, value) → incident with the event time the
 *   entity was last seen there, so grouping looks up an alert's entities instead of scanning.
 * - `incident_breaches`: deadlines already reported as breached, so each is notified once, across
 *   restarts too.
 */
export const INCIDENT_MIGRATIONS: readonly string[] = [
  `CREATE TABLE incidents (
     seq INTEGER PRIMARY KEY,
     id TEXT NOT NULL UNIQUE,
     org TEXT NOT NULL,
     org_name TEXT,
     title TEXT NOT NULL,
     status TEXT NOT NULL,
     severity TEXT NOT NULL,
     alert_severity_rank INTEGER NOT NULL,
     severity_override TEXT,
     assignee TEXT,
     category TEXT NOT NULL,
     serious INTEGER NOT NULL,
     details TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     updated_at INTEGER NOT NULL,
     opened_at INTEGER NOT NULL,
     detected_at INTEGER NOT NULL,
     acknowledged_at INTEGER,
     resolved_at INTEGER,
     closed_at INTEGER
   );
   CREATE INDEX incidents_by_org ON incidents (org, seq DESC);
   CREATE INDEX incidents_by_status ON incidents (status, seq DESC);
   CREATE TABLE incident_ids (year INTEGER PRIMARY KEY, last INTEGER NOT NULL);
   CREATE TABLE incident_alerts (
     alert_id TEXT PRIMARY KEY,
     incident_seq INTEGER NOT NULL REFERENCES incidents (seq) ON DELETE CASCADE,
     severity_rank INTEGER NOT NULL,
     added_at INTEGER NOT NULL
   );
   CREATE INDEX incident_alerts_by_incident ON incident_alerts (incident_seq, added_at);
   CREATE TABLE incident_entities (
     org TEXT NOT NULL,
     kind TEXT NOT NULL,
     value TEXT NOT NULL,
     incident_seq INTEGER NOT NULL REFERENCES incidents (seq) ON DELETE CASCADE,
     last_seen INTEGER NOT NULL,
     PRIMARY KEY (org, kind, value, incident_seq)
   ) WITHOUT ROWID;
   CREATE INDEX incident_entities_by_incident ON incident_entities (incident_seq);
   CREATE TABLE incident_timeline (
     id INTEGER PRIMARY KEY,
     incident_seq INTEGER NOT NULL REFERENCES incidents (seq) ON DELETE CASCADE,
     time INTEGER NOT NULL,
     actor TEXT NOT NULL,
     kind TEXT NOT NULL,
     message TEXT NOT NULL,
     data TEXT NOT NULL
   );
   CREATE INDEX incident_timeline_by_incident ON incident_timeline (incident_seq, id);
   CREATE TABLE incident_tasks (
     id INTEGER PRIMARY KEY,
     incident_seq INTEGER NOT NULL REFERENCES incidents (seq) ON DELETE CASCADE,
     title TEXT NOT NULL,
     assignee TEXT,
     status TEXT NOT NULL,
     due INTEGER,
     created_at INTEGER NOT NULL,
     updated_at INTEGER NOT NULL
   );
   CREATE INDEX incident_tasks_by_incident ON incident_tasks (incident_seq, id);
   CREATE TABLE incident_report_submissions (
     incident_seq INTEGER NOT NULL REFERENCES incidents (seq) ON DELETE CASCADE,
     kind TEXT NOT NULL,
     submitted_at INTEGER NOT NULL,
     submitted_by TEXT NOT NULL,
     reference TEXT NOT NULL,
     note TEXT NOT NULL,
     recorded_at INTEGER NOT NULL,
     PRIMARY KEY (incident_seq, kind)
   ) WITHOUT ROWID;
   CREATE TABLE incident_breaches (
     incident_seq INTEGER NOT NULL REFERENCES incidents (seq) ON DELETE CASCADE,
     key TEXT NOT NULL,
     due_at INTEGER NOT NULL,
     notified_at INTEGER NOT NULL,
     PRIMARY KEY (incident_seq, key)
   ) WITHOUT ROWID;`,
];
