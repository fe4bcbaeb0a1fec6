/**
 * Reading a playbook run for the console: the approval request a waiting step carries (who may
 * decide, quorum, votes, deadline) and whether the logged-in user may still decide on it.
 */
import type { PlaybookRun, RunStep } from '../api/playbooks';

export interface ApprovalVote {
  user: string;
  decision: 'approve' | 'deny';
  comment: string;
  at: string;
}

export interface ApprovalRequest {
  roles: string[];
  users: string[];
  quorum: number;
  votes: ApprovalVote[];
  escalated: boolean;
  deadline: string | null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** The approval request of an approval.request step (its `state` while waiting), or undefined. */
export function approvalOf(step: RunStep): ApprovalRequest | undefined {
  if (step.action !== 'approval.request' || !isRecord(step.state)) return undefined;
  const s = step.state;
  const votes: ApprovalVote[] = [];
  if (Array.isArray(s.votes)) {
    for (const v of s.votes) {
      if (isRecord(v) && typeof v.user === 'string' && (v.decision === 'approve' || v.decision === 'deny')) {
        votes.push({ user: v.user, decision: v.decision, comment: typeof v.comment === 'string' ? v.comment : '', at: typeof v.at === 'string' ? v.at : '' });
      }
    }
  }
  return {
    roles: strings(s.roles),
    users: strings(s.users),
    quorum: typeof s.quorum === 'number' ? s.quorum : 1,
    votes,
    escalated: s.escalated === true,
    deadline: typeof s.deadline === 'string' ? s.deadline : null,
  };
}

/** The step a run waiting for approval is parked on. */
export function waitingApprovalStep(run: PlaybookRun, steps: readonly RunStep[]): RunStep | undefined {
  if (run.status !== 'waiting_approval') return undefined;
  for (let i = steps.length - 1; i >= 0; i--) if (steps[i].status === 'waiting' && steps[i].action === 'approval.request') return steps[i];
  return undefined;
}

/** Why a run ended denied, to say it in the reader's language: who denied it and their comment, or the request timing out. */
export type Denial = { by: 'user'; user: string; comment: string; at: string | null } | { by: 'timeout'; at: string | null };

/**
 * The denial of a denied run. A denying vote is not kept in the step's state (the step ends on
 * it), so it is read from the run's error, which approval.request words in two fixed shapes
 * (playbooks/actions/approval-request.ts): `denied by <user>[: <comment>]` and `approval timed out …`,
 * after the executor's `step <id> (<action>): ` prefix.
 */
export function denialOf(run: PlaybookRun): Denial | undefined {
  if (run.status !== 'denied' || run.error === null) return undefined;
  const text = run.error.replace(/^step \S+ \([^)]*\): /, '');
  const byUser = /^denied by (\S+?)(?:: ([\s\S]*))?$/.exec(text);
  if (byUser !== null) return { by: 'user', user: byUser[1], comment: byUser[2] ?? '', at: run.finished_at };
  if (text.startsWith('approval timed out')) return { by: 'timeout', at: run.finished_at };
  return undefined;
}

/**
 * Whether to offer approve/deny: the run waits, the user holds playbooks:approve, and has not voted.
 * The server still checks that the user is one of the request's approvers (role, name, escalation).
 */
export function mayDecide(run: PlaybookRun, approval: ApprovalRequest | undefined, user: { username: string; can(permission: string): boolean }): boolean {
  if (run.status !== 'waiting_approval' || !user.can('playbooks:approve')) return false;
  return !(approval?.votes.some((v) => v.user === user.username) ?? false);
}

/** Step input and output as indented JSON for a <pre>; strings as they are. */
export function stepValueText(value: unknown): string {
  if (value === null || value === undefined) return '–';
  if (typeof value === 'string') return value;
  return JSON.stringify(value, null, 2);
}

/** CSS class of a run or step status: ok, bad, wait, or neutral. */
export function runTone(status: string): 'ok' | 'bad' | 'wait' | 'neutral' {
  if (status === 'succeeded' || status === 'simulated') return 'ok';
  if (status === 'failed' || status === 'denied' || status === 'interrupted') return 'bad';
  if (status === 'waiting_approval' || status === 'waiting' || status === 'queued' || status === 'running') return 'wait';
  return 'neutral';
}
