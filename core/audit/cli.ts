/**
 * `socnoc audit verify`: walks the hash chain of the data folder's audit log. Exit code 0 and the
 * number of records checked when intact; 1 naming the first bad record; 2 when there is no log.
 */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { verifyAuditChain } from './log';

export interface TextOut {
  write(text: string): unknown;
}

/** Returns the exit code; `file` is the configured audit file (relative to dataDir). */
export function runAuditVerify(dataDir: string, out: TextOut, file = 'audit.db'): number {
  const path = isAbsolute(file) ? file : join(dataDir, file);
  if (!existsSync(path)) {
    out.write(`audit verify: no audit log at ${path}\n`);
    return 2;
  }
  // Read-only: verifying must not create tables, run migrations or take the writer's lock.
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const result = verifyAuditChain(db);
    if (result.ok) {
      out.write(`audit verify: ${result.checked} records checked, chain intact (head ${result.head})\n`);
      return 0;
    }
    const bad = result.firstBad!;
    out.write(`audit verify: record ${bad.seq} is bad: ${bad.reason} (${result.checked} records checked)\n`);
    return 1;
  } catch (err) {
    out.write(`audit verify: cannot read ${path}: ${(err as Error).message}\n`);
    return 1;
  } finally {
    db.close();
  }
}
