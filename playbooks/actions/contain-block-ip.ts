/**
 * contain.block_ip: blocks (or unblocks) an address on the firewall, through nftables or an HTTP
 * firewall API. The never-block list is checked first, always. Nothing is executed in dry-run —
 * the configured mode, the step's `dry_run`, or a simulated run — the commands are reported instead.
 */
import { z } from 'zod';
import type { BlockIpConfig } from '../config';
import { durationSchema, formatDuration } from '../duration';
import { httpFirewallApply, httpFirewallRequest } from './block/http-firewall';
import { checkAddress, NeverBlockList } from './block/never-block';
import { nftApply, nftArguments, nftCommand, type BlockRequest } from './block/nftables';
import { defineAction, type ActionContext } from './types';

const params = z
  .object({
    ip: z.string().min(1).max(100),
    duration: durationSchema().optional(),
    operation: z.enum(['block', 'unblock']).default('block'),
    reason: z.string().max(1000).default(''),
    /** Render and report, never execute (also forced by playbooks.blockIp.mode: dry_run). */
    dry_run: z.boolean().default(false),
  })
  .strict();
type Params = z.infer<typeof params>;

const allowLists = new WeakMap<BlockIpConfig, NeverBlockList>();

function neverBlock(cfg: BlockIpConfig): NeverBlockList {
  let list = allowLists.get(cfg);
  if (!list) {
    list = new NeverBlockList(cfg.neverBlock, cfg.protectLocalAddresses);
    allowLists.set(cfg, list);
  }
  return list;
}

function plan(ctx: ActionContext, p: Params): { request: BlockRequest; reason: string; dryRun: boolean; preview: unknown } {
  const cfg = ctx.services.config.blockIp;
  const { ip, family } = checkAddress(p.ip);
  const protectedBy = neverBlock(cfg).covering(ip);
  if (protectedBy !== undefined && p.operation === 'block') throw new Error(`refusing to block ${ip}: it is in the never-block list (${protectedBy})`);
  const request: BlockRequest = { operation: p.operation === 'block' ? 'add' : 'remove', ip, family, timeoutMs: p.duration ?? cfg.defaultDuration };
  const reason = p.reason || `socnoc playbook ${ctx.playbookId}: ${ctx.alert.rule.name} (alert ${ctx.alert.id})`;
  const preview = cfg.adapter === 'nftables' ? { command: nftCommand(cfg.nftables, nftArguments(cfg.nftables, request)) } : { request: httpFirewallRequest(cfg.http, request, reason) };
  return { request, reason, dryRun: ctx.dryRun || p.dry_run || cfg.mode === 'dry_run', preview };
}

function summary(ctx: ActionContext, request: BlockRequest): Record<string, unknown> {
  return {
    ip: request.ip,
    operation: request.operation === 'add' ? 'block' : 'unblock',
    duration: request.operation === 'add' ? formatDuration(request.timeoutMs) : null,
    adapter: ctx.services.config.blockIp.adapter,
  };
}

export const containBlockIp = defineAction<Params>({
  name: 'contain.block_ip',
  description: 'Block or unblock an IP address on the firewall (nftables or HTTP API), with dry-run and a never-block list',
  params,
  async run(ctx, p) {
    const { request, reason, dryRun, preview } = plan(ctx, p);
    if (dryRun) return { output: { ...summary(ctx, request), dry_run: true, executed: false, ...(preview as object) } };
    const cfg = ctx.services.config.blockIp;
    if (cfg.adapter === 'nftables') {
      const done = await nftApply(cfg.nftables, request, ctx.signal);
      return { output: { ...summary(ctx, request), dry_run: false, executed: true, command: done.command, already_absent: done.alreadyAbsent } };
    }
    const done = await httpFirewallApply(cfg.http, request, reason, ctx.signal);
    return { output: { ...summary(ctx, request), dry_run: false, executed: true, status: done.status, response: done.response } };
  },
  simulate(ctx, p) {
    const { request, preview } = plan(ctx, p);
    return { ...summary(ctx, request), dry_run: true, executed: false, ...(preview as object) };
  },
});
