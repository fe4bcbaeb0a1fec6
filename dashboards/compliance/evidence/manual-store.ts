/**
 * Manual evidence: documents (policies, drill reports, pentests, backup tests) uploaded for a
 * system and evidence kind, stored under the evidence folder by SHA-256, with who reviewed and
 * approved them and until when they count.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, renameSync, rmSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { applyMigrations, type SqliteDb } from '../../../core/store/sqlite';

const MIGRATIONS: readonly string[] = [
  `CREATE TABLE compliance_evidence_documents (
     id TEXT PRIMARY KEY,
     system_id TEXT NOT NULL,
     agency TEXT NOT NULL,
     kind TEXT NOT NULL,
     requirement_id TEXT,
     title TEXT NOT NULL,
     file_name TEXT NOT NULL,
     content_type TEXT NOT NULL,
     sha256 TEXT NOT NULL,
     size INTEGER NOT NULL,
     uploaded_by TEXT NOT NULL,
     uploaded_at INTEGER NOT NULL,
     reviewer TEXT,
     approved_by TEXT,
     approved_at INTEGER,
     expires_at INTEGER,
     note TEXT NOT NULL DEFAULT ''
   );
   CREATE INDEX compliance_evidence_system ON compliance_evidence_documents (system_id, kind);`,
];

export interface EvidenceDocument {
  id: string;
  system_id: string;
  agency: string;
  kind: string;
  requirement_id: string | null;
  title: string;
  file_name: string;
  content_type: string;
  sha256: string;
  size: number;
  uploaded_by: string;
  uploaded_at: string;
  reviewer: string | null;
  approved_by: string | null;
  approved_at: string | null;
  expires_at: string | null;
  note: string;
}

export interface NewEvidenceDocument {
  systemId: string;
  agency: string;
  kind: string;
  requirementId?: string;
  title: string;
  fileName: string;
  contentType: string;
  uploadedBy: string;
  reviewer?: string;
  /** Epoch ms after which the document no longer counts. */
  expiresAt?: number;
  note?: string;
}

/** The stored row: the document with its times as epoch ms. */
type DocRow = Omit<EvidenceDocument, 'uploaded_at' | 'approved_at' | 'expires_at'> & {
  uploaded_at: number;
  approved_at: number | null;
  expires_at: number | null;
};

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

function fromRow(r: DocRow): EvidenceDocument {
  return { ...r, uploaded_at: new Date(r.uploaded_at).toISOString(), approved_at: iso(r.approved_at), expires_at: iso(r.expires_at) };
}

export class UploadTooLargeError extends Error {}

/** Whether a document counts for an assessment at `now`. */
export type DocumentStanding = 'valid' | 'awaiting_approval' | 'expired';

export function documentStanding(doc: EvidenceDocument, now: number): DocumentStanding {
  if (doc.expires_at !== null && Date.parse(doc.expires_at) <= now) return 'expired';
  return doc.approved_at === null ? 'awaiting_approval' : 'valid';
}

export class ManualEvidenceStore {
  constructor(
    private readonly db: SqliteDb,
    /** Folder of the stored files. */
    readonly dir: string,
    private readonly now: () => number = Date.now,
  ) {
    applyMigrations(db, 'compliance_evidence', MIGRATIONS);
    mkdirSync(dir, { recursive: true });
  }

  /** Streams the body to disk while hashing it; refuses more than maxBytes. */
  async add(doc: NewEvidenceDocument, body: Readable, maxBytes: number): Promise<EvidenceDocument> {
    const tmp = join(this.dir, `.upload-${randomUUID()}`);
    const hash = createHash('sha256');
    let size = 0;
    const out = createWriteStream(tmp);
    try {
      await new Promise<void>((resolve, reject) => {
        // Past the limit the rest is read and dropped, so the client gets the 413 instead of a reset connection.
        body.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) return;
          hash.update(chunk);
          out.write(chunk);
        });
        body.on('end', () => (size > maxBytes ? reject(new UploadTooLargeError(`evidence upload "${doc.fileName}": larger than ${maxBytes} bytes`)) : resolve()));
        body.on('error', reject);
      });
      await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    } catch (err) {
      out.destroy();
      rmSync(tmp, { force: true });
      throw err;
    }
    const sha256 = hash.digest('hex');
    const file = join(this.dir, sha256);
    if (existsSync(file)) rmSync(tmp);
    else renameSync(tmp, file);
    const id = randomUUID();
    this.db
      .prepare('INSERT INTO compliance_evidence_documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?)')
      .run(id, doc.systemId, doc.agency, doc.kind, doc.requirementId ?? null, doc.title, doc.fileName, doc.contentType, sha256, size, doc.uploadedBy, this.now(), doc.reviewer ?? null, doc.expiresAt ?? null, doc.note ?? '');
    return this.get(id)!;
  }

  get(id: string): EvidenceDocument | undefined {
    const row = this.db.prepare('SELECT * FROM compliance_evidence_documents WHERE id = ?').get(id) as DocRow | undefined;
    return row === undefined ? undefined : fromRow(row);
  }

  list(systemId: string): EvidenceDocument[] {
    return (this.db.prepare('SELECT * FROM compliance_evidence_documents WHERE system_id = ? ORDER BY kind, uploaded_at DESC').all(systemId) as DocRow[]).map(fromRow);
  }

  /** Records the approval; undefined when the document does not exist. */
  approve(id: string, approvedBy: string, change: { reviewer?: string; expiresAt?: number | null; note?: string } = {}): EvidenceDocument | undefined {
    const current = this.get(id);
    if (current === undefined) return undefined;
    this.db
      .prepare('UPDATE compliance_evidence_documents SET approved_by = ?, approved_at = ?, reviewer = ?, expires_at = ?, note = ? WHERE id = ?')
      .run(
        approvedBy,
        this.now(),
        change.reviewer ?? current.reviewer ?? approvedBy,
        change.expiresAt !== undefined ? change.expiresAt : current.expires_at === null ? null : Date.parse(current.expires_at),
        change.note ?? current.note,
        id,
      );
    return this.get(id);
  }

  /** The stored file of a document. */
  filePath(doc: EvidenceDocument): string {
    return join(this.dir, doc.sha256);
  }

  delete(id: string): boolean {
    const doc = this.get(id);
    if (doc === undefined) return false;
    this.db.prepare('DELETE FROM compliance_evidence_documents WHERE id = ?').run(id);
    const stillUsed = this.db.prepare('SELECT 1 FROM compliance_evidence_documents WHERE sha256 = ? LIMIT 1').get(doc.sha256) !== undefined;
    if (!stillUsed) rmSync(this.filePath(doc), { force: true });
    return true;
  }
}
