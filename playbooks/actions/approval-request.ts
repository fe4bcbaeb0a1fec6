/**
 * approval.request: the run waits until enough approvers (by role and/or user name) approve.
 * One denial ends the run as denied. When nobody decides in time the request is denied, or first
 * escalated: further roles/users may decide and further addresses are emailed, for another period.
 */
import { z } from 'zod';
import { ROLES } from '../../core/auth/roles';
import { durationSchema } from '../duration';
import { ApprovalDeniedError, defineAction, DecisionRejectedError, type ActionContext } from './types';

const who = z
  .object({
    roles: z.array(z.enum(ROLES)).default([]),
    users: z.array(z.string().min(1)).default([]),
  })
  .strict();

const params = z
  .object({
    approvers: who.refine((w) => w.roles.length + w.users.length > 0, 'name at least one role or user'),
    quorum: z.number().int().min(1).max(10).default(1),
    timeout: durationSchema().default(4 * 3_600_000),
    on_timeout: z.enum(['deny', 'escalate']).default('deny'),
    escalate: who
      .extend({
        /** Addresses told that the request was escalated. */
        emails: z.array(z.string().email()).default([]),
        /** How long the escalated request waits before it is denied. */
        timeout: durationSchema().default(3_600_000),
      })
      .optional(),
    message: z.string().max(10_000).default(''),
    /** Addresses told about the request when it is made. */
    notify: z.array(z.string().email()).default([]),
  })
  .strict()
  .refine((p) => p.on_timeout !== 'escalate' || p.escalate !== undefined, 'on_timeout: escalate needs an `escalate` block');

type Params = z.infer<typeof params>;

interface Vote {
  user: string;
  role: string;
  decision: 'approve' | 'deny';
  comment: string;
  at: string;
}

interface ApprovalState {
  roles: string[];
  users: string[];
  quorum: number;
  votes: Vote[];
  escalated: boolean;
  requested_at: string;
  deadline: string;
}

function describeRequest(ctx: ActionContext, p: Params): string {
  return [
    p.message || `Playbook ${ctx.playbookId} asks for approval to continue.`,
    '',
    `Alert: ${ctx.alert.rule.name} (${ctx.alert.severity}), agency ${ctx.organization}`,
    `Alert id: ${ctx.alert.id}`,
    `Run: ${ctx.runId}`,
    `Approve or deny: POST /api/v1/playbooks/runs/${ctx.runId}/approvals {"decision": "approve"|"deny", "comment": "..."}`,
  ].join('\n');
}

async function tell(ctx: ActionContext, to: readonly string[], subject: string, text: string): Promise<string | null> {
  if (to.length === 0) return null;
  try {
    await ctx.services.email.send({ to: [...to], subject, text, idempotencyKey: `${ctx.idempotencyKey}:${subject.length}:${to.length}` });
    return null;
  } catch (err) {
    // A mail failure must not lose the approval request; it is recorded in the step's state instead.
    ctx.services.logger.warn({ err, run: ctx.runId }, 'approval notification email failed');
    return (err as Error).message;
  }
}

export const approvalRequest = defineAction<Params>({
  name: 'approval.request',
  description: 'Wait for approval by role or user, with quorum, timeout and escalation',
  params,
  async run(ctx, p) {
    const now = ctx.services.now();
    const mailError = await tell(ctx, p.notify, `[socnoc] approval needed: ${ctx.alert.rule.name}`, describeRequest(ctx, p));
    const state: ApprovalState & { notify_error?: string } = {
      roles: [...p.approvers.roles],
      users: [...p.approvers.users],
      quorum: p.quorum,
      votes: [],
      escalated: false,
      requested_at: new Date(now).toISOString(),
      deadline: new Date(now + p.timeout).toISOString(),
    };
    if (mailError !== null) state.notify_error = mailError;
    return { suspend: { kind: 'approval', until: now + p.timeout, state } };
  },
  async resume(ctx, p, raw, signal) {
    const state = raw as ApprovalState;
    const until = Date.parse(state.deadline);
    if (signal.type === 'timer') {
      if (p.on_timeout === 'escalate' && p.escalate && !state.escalated) {
        const now = ctx.services.now();
        const esc = p.escalate;
        const next: ApprovalState = {
          ...state,
          roles: [...new Set([...state.roles, ...esc.roles])],
          users: [...new Set([...state.users, ...esc.users])],
          escalated: true,
          deadline: new Date(now + esc.timeout).toISOString(),
        };
        await tell(ctx, esc.emails, `[socnoc] ESCALATED approval needed: ${ctx.alert.rule.name}`, `No decision within the time allowed; escalated.\n\n${describeRequest(ctx, p)}`);
        return { suspend: { kind: 'approval', until: now + esc.timeout, state: next } };
      }
      throw new ApprovalDeniedError(`approval timed out${state.escalated ? ' after escalation' : ''} with ${state.votes.length} of ${state.quorum} approvals`);
    }
    const eligible = state.users.includes(signal.user) || state.roles.includes(signal.role) || signal.role === 'admin';
    if (!eligible) throw new DecisionRejectedError(`user ${signal.user} (${signal.role}) is not an approver of this request (roles: ${state.roles.join(', ') || 'none'}; users: ${state.users.join(', ') || 'none'})`, 403);
    if (state.votes.some((v) => v.user === signal.user)) throw new DecisionRejectedError(`user ${signal.user} has already decided on this request`, 409);
    const vote: Vote = { user: signal.user, role: signal.role, decision: signal.decision, comment: signal.comment, at: new Date(ctx.services.now()).toISOString() };
    if (signal.decision === 'deny') throw new ApprovalDeniedError(`denied by ${signal.user}${signal.comment ? `: ${signal.comment}` : ''}`);
    const votes = [...state.votes, vote];
    if (votes.length >= state.quorum) {
      return { output: { approved: true, approvers: votes.map((v) => v.user), votes, escalated: state.escalated } };
    }
    return { suspend: { kind: 'approval', until, state: { ...state, votes } } };
  },
  simulate(ctx, p) {
    return { approvers: p.approvers, quorum: p.quorum, timeout_ms: p.timeout, on_timeout: p.on_timeout, message: describeRequest(ctx, p), approved: true, assumed: true };
  },
});
