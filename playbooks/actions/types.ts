/**
 * The contract every playbook action implements. `run` does the work; `simulate` describes what
 * `run` would do, without side effects, for dry runs. Actions that wait for people or time
 * (approval.request, wait) return `suspend`; the runner persists the state and calls `resume`
 * when a decision arrives or the time comes.
 */
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { Role } from '../../core/auth/roles';
import type { Alert } from '../../correlation/alerts/types';
import type { PlaybooksConfig, SmtpConfig } from '../config';
import type { PlaybookPorts } from '../ports';

export interface EmailMessage {
  to: string[];
  cc?: string[];
  subject: string;
  text: string;
  html?: string;
  /** Sets Message-ID, so a resent message is recognisable as the same one. */
  idempotencyKey?: string;
  /** Files to attach (scheduled compliance reports). */
  attachments?: Array<{ filename: string; content: Buffer; contentType: string }>;
}

/** Outbound email, shared by notify.email and approval escalation. */
export interface EmailSender {
  send(message: EmailMessage): Promise<{ messageId: string; accepted: string[]; rejected: string[] }>;
}

export interface ActionServices {
  ports: PlaybookPorts;
  config: PlaybooksConfig;
  smtp: SmtpConfig;
  socEmail: readonly string[];
  /** Agency names by id (the run's alert gets `organization.name` from here when it has none). */
  agencyNames: ReadonlyMap<string, string>;
  email: EmailSender;
  logger: Logger;
  now: () => number;
}

export interface ActionContext {
  services: ActionServices;
  runId: string;
  playbookId: string;
  stepId: string;
  /** `<run id>:<step id>[:<loop index>]`: the same across retries and restarts. */
  idempotencyKey: string;
  alert: Alert;
  organization: string;
  /** A simulated run: no side effects anywhere. */
  dryRun: boolean;
  /** Aborted when the step's timeout passes. */
  signal: AbortSignal;
}

export type ActionResult =
  | { output: unknown; suspend?: undefined }
  | {
      output?: undefined;
      suspend: {
        kind: 'approval' | 'wait';
        /** Epoch ms at which `resume` is called with a timer signal. */
        until: number;
        /** Persisted as JSON and handed back to `resume`. */
        state: unknown;
      };
    };

export type ResumeSignal = { type: 'timer' } | { type: 'decision'; user: string; role: Role; decision: 'approve' | 'deny'; comment: string };

export interface Action<P = unknown> {
  name: string;
  description: string;
  params: z.ZodType<P>;
  /** Actions without side effects (lookups) run for real in dry runs, so later steps see real output. */
  readOnly?: boolean;
  run(ctx: ActionContext, params: P): Promise<ActionResult>;
  simulate(ctx: ActionContext, params: P): unknown;
  resume?(ctx: ActionContext, params: P, state: unknown, signal: ResumeSignal): Promise<ActionResult>;
}

/** Erases the parameter type for the registry; the runner validates params with `params` first. */
export function defineAction<P>(action: Action<P>): Action<unknown> {
  return action as unknown as Action<unknown>;
}

/** A decision the action refuses (not an approver, voted twice): the step keeps waiting. */
export class DecisionRejectedError extends Error {
  constructor(
    message: string,
    readonly status: 403 | 409,
  ) {
    super(message);
    this.name = 'DecisionRejectedError';
  }
}

/** Ends the run as `denied` (an approver said no, or nobody answered in time). */
/** A failure no retry can mend (a missing configuration, say): the step fails at once instead of backing off. */
export class PermanentStepError extends Error {}

export class ApprovalDeniedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ApprovalDeniedError';
  }
}

/** A port this deployment has not wired. */
export function missingPort(action: string, port: string): Error {
  return new Error(`${action}: no ${port} is configured in this deployment`);
}
