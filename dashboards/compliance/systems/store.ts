/** The systems register in SQLite (the caller opens the database; this module owns its table). */
import { randomUUID } from 'node:crypto';
import { applyMigrations, type SqliteDb } from '../../../core/store/sqlite';
import { systemInputSchema, systemAssetsSchema, type ComplianceSystem, type SystemInput, type SystemPatch } from './types';

const MIGRATIONS: readonly string[] = [
  `CREATE TABLE compliance_systems (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     agency TEXT NOT NULL,
     level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
     regime TEXT NOT NULL,
     description TEXT NOT NULL,
     assets TEXT NOT NULL,
     approval_document TEXT,
     approval_date TEXT,
     created_at INTEGER NOT NULL,
     updated_at INTEGER NOT NULL
   );
   CREATE INDEX compliance_systems_agency ON compliance_systems (agency, name);`,
];

interface SystemRow {
  id: string;
  name: string;
  agency: string;
  level: number;
  regime: string;
  description: string;
  assets: string;
  approval_document: string | null;
  approval_date: string | null;
  created_at: number;
  updated_at: number;
}

function fromRow(r: SystemRow): ComplianceSystem {
  return {
    id: r.id,
    name: r.name,
    agency: r.agency,
    level: r.level,
    regime: r.regime === 'decree331' ? 'decree331' : 'decree85',
    description: r.description,
    assets: systemAssetsSchema.parse(JSON.parse(r.assets)),
    approval: r.approval_document !== null && r.approval_date !== null ? { document: r.approval_document, date: r.approval_date } : null,
    created_at: new Date(r.created_at).toISOString(),
    updated_at: new Date(r.updated_at).toISOString(),
  };
}

export class SystemRegister {
  constructor(
    private readonly db: SqliteDb,
    private readonly now: () => number = Date.now,
  ) {
    applyMigrations(db, 'compliance_systems', MIGRATIONS);
  }

  /** Systems of these agencies (undefined: all), by agency then name. */
  list(agencies?: readonly string[]): ComplianceSystem[] {
    if (agencies !== undefined && agencies.length === 0) return [];
    const rows =
      agencies === undefined
        ? (this.db.prepare('SELECT * FROM compliance_systems ORDER BY agency, name').all() as SystemRow[])
        : (this.db.prepare(`SELECT * FROM compliance_systems WHERE agency IN (${agencies.map(() => '?').join(',')}) ORDER BY agency, name`).all(...agencies) as SystemRow[]);
    return rows.map(fromRow);
  }

  get(id: string): ComplianceSystem | undefined {
    const row = this.db.prepare('SELECT * FROM compliance_systems WHERE id = ?').get(id) as SystemRow | undefined;
    return row === undefined ? undefined : fromRow(row);
  }

  create(input: SystemInput): ComplianceSystem {
    const s = systemInputSchema.parse(input);
    const id = randomUUID();
    const now = this.now();
    this.db
      .prepare('INSERT INTO compliance_systems VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(id, s.name, s.agency, s.level, s.regime, s.description, JSON.stringify(s.assets), s.approval?.document ?? null, s.approval?.date ?? null, now, now);
    return this.get(id)!;
  }

  /** Applies a partial change; undefined when the system does not exist. */
  update(id: string, patch: SystemPatch): ComplianceSystem | undefined {
    const current = this.get(id);
    if (current === undefined) return undefined;
    const next = systemInputSchema.parse({
      name: patch.name ?? current.name,
      agency: patch.agency ?? current.agency,
      level: patch.level ?? current.level,
      regime: patch.regime ?? current.regime,
      description: patch.description ?? current.description,
      assets: patch.assets ?? current.assets,
      approval: patch.approval !== undefined ? patch.approval : current.approval,
    });
    this.db
      .prepare('UPDATE compliance_systems SET name = ?, agency = ?, level = ?, regime = ?, description = ?, assets = ?, approval_document = ?, approval_date = ?, updated_at = ? WHERE id = ?')
      .run(next.name, next.agency, next.level, next.regime, next.description, JSON.stringify(next.assets), next.approval?.document ?? null, next.approval?.date ?? null, this.now(), id);
    return this.get(id);
  }

  delete(id: string): boolean {
    return this.db.prepare('DELETE FROM compliance_systems WHERE id = ?').run(id).changes > 0;
  }
}
