/** Shared pieces for the playbook tests: a real alert, services with a recording audit sink, a runner on a temp SQLite file. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { createLogger } from '../../core/logger';
import { openSqlite, type SqliteDb } from '../../core/store/sqlite';
import type { Alert } from '../../correlation/alerts/types';
import { actionRegistry } from '../actions';
import type { Action, ActionContext, ActionServices, EmailMessage, EmailSender } from '../actions/types';
import { playbooksConfig, smtpConfigSchema, type PlaybooksConfig } from '../config';
import { parsePlaybookText } from '../loader';
import type { AuditRecord, PlaybookPorts } from '../ports';
import { PlaybookRunner } from '../runner';

export function sshAlert(overrides: Partial<Alert> = {}): Alert {
  const alert = JSON.parse(readFileSync(join(__dirname, 'alert-ssh-brute-force.json'), 'utf8')) as Alert;
  return { ...alert, ...overrides };
}

export class RecordingAudit {
  readonly records: AuditRecord[] = [];
  append(r: AuditRecord): void {
    this.records.push(r);
  }
}

export class RecordingEmail implements EmailSender {
  readonly sent: EmailMessage[] = [];
  async send(m: EmailMessage): Promise<{ messageId: string; accepted: string[]; rejected: string[] }> {
    this.sent.push(m);
    return { messageId: `<${this.sent.length}@test>`, accepted: m.to, rejected: [] };
  }
}

export const silentLogger = createLogger('silent');

export function testServices(over: { config?: PlaybooksConfig; ports?: PlaybookPorts; email?: EmailSender; socEmail?: string[]; agencyNames?: Map<string, string>; now?: () => number } = {}): ActionServices {
  return {
    ports: over.ports ?? {},
    config: over.config ?? playbooksConfig({}),
    smtp: smtpConfigSchema.parse({}),
    socEmail: over.socEmail ?? ['soc@so-yte.hanoi.gov.vn'],
    agencyNames: over.agencyNames ?? new Map(),
    email: over.email ?? new RecordingEmail(),
    logger: silentLogger,
    now: over.now ?? Date.now,
  };
}

export function actionContext(services: ActionServices, over: Partial<ActionContext> = {}): ActionContext {
  return {
    services,
    runId: 'run-1',
    playbookId: 'test',
    stepId: 'step',
    idempotencyKey: 'run-1:step',
    alert: sshAlert(),
    organization: 'hanoi-doh',
    dryRun: false,
    signal: new AbortController().signal,
    ...over,
  };
}

export interface TestRunner {
  runner: PlaybookRunner;
  db: SqliteDb;
  file: string;
  dir: string;
  audit: RecordingAudit;
  email: RecordingEmail;
  services: ActionServices;
  cleanup(): void;
}

/** A runner on a SQLite file in a fresh folder, with the given playbooks YAML and extra actions. */
export function testRunner(yamlText: string, extra: Action[] = [], opts: { dir?: string; config?: Partial<Record<string, unknown>>; ports?: PlaybookPorts } = {}): TestRunner {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'socnoc-playbooks-'));
  const file = join(dir, 'playbooks.db');
  const db = openSqlite(file);
  const audit = new RecordingAudit();
  const email = new RecordingEmail();
  const config = playbooksConfig({ concurrency: 2, ...opts.config });
  const services = testServices({ config, ports: { audit, ...opts.ports }, email });
  const actions = actionRegistry(extra);
  const runner = new PlaybookRunner({ db, logger: silentLogger, registry: new Registry(), actions, services, sleep: () => Promise.resolve() }, config);
  const parsed = parsePlaybookText(yamlText, join(dir, 'test.yaml'), 'test', new Set(actions.keys()));
  if (parsed.errors.length > 0) throw new Error(`test playbook: ${parsed.errors.map((e) => `${e.line}: ${e.reason}`).join('; ')}`);
  runner.setPlaybooks({ playbooks: parsed.playbooks, errors: [], files: 1 });
  return {
    runner,
    db,
    file,
    dir,
    audit,
    email,
    services,
    cleanup: () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function writeText(path: string, text: string): void {
  writeFileSync(path, text);
}
