/**
 * The agent capability on the user API (/api/v1): the agent list and detail, revocation,
 * enrolment tokens, response commands and configuration per agency and group. Everything is scoped
 * to the caller's agencies; an agent of another agency answers 404 as one that does not exist.
 */
import type { Router } from 'express';
import { z } from 'zod';
import { canSeeAgency, organizationsOf, type Principal } from '../auth/principal';
import { grantPermission } from '../auth/roles';
import type { HttpModule } from '../http/deps';
import { forbidden, HttpError, notFound } from '../http/errors';
import type { OpenApiRegistry } from '../http/openapi';
import { defineRoute } from '../http/route';
import { agentConfigOverrideSchema } from './agent-config';
import { COMMAND_TYPES, commandArgsSchemas, COMMAND_STATUSES } from './commands';
import { parseDuration } from './duration';
import type { AgentService } from './service';
import { summarize, type AgentRecord } from './registry';

/** Seeing agents and their commands; running response commands is analysts' work, on top of agency admins' `agents:manage`. */
grantPermission('agents:read', ['soc_analyst', 'noc_operator', 'auditor', 'agency_admin']);
grantPermission('agents:command', ['soc_analyst', 'agency_admin']);

const agentSchema = z.object({
  id: z.string(),
  hostname: z.string(),
  status: z.enum(['online', 'offline']),
  last_seen: z.string(),
  version: z.string(),
  organization: z.object({ id: z.string() }),
  group: z.string(),
  enrolled_at: z.string(),
  address: z.string().describe('address of its last request'),
  revoked: z.boolean(),
});

const tokenSchema = z.object({
  id: z.string(),
  agency: z.string(),
  group: z.string(),
  max_uses: z.number().int(),
  uses: z.number().int(),
  expires_at: z.string(),
  created_at: z.string(),
  created_by: z.string(),
  revoked: z.boolean(),
});

const commandSchema = z.object({
  id: z.string(),
  agent_id: z.string(),
  organization: z.object({ id: z.string() }),
  type: z.enum(COMMAND_TYPES),
  args: z.record(z.string(), z.unknown()),
  status: z.enum(COMMAND_STATUSES),
  created_by: z.string(),
  created_at: z.string(),
  expires_at: z.string(),
  delivered_at: z.string().nullable(),
  completed_at: z.string().nullable(),
  result: z.record(z.string(), z.unknown()).nullable(),
});

const idParam = z.object({ id: z.string().min(1).max(100) });
const agencyId = z.string().regex(/^[A-Za-z0-9._-]+$/).max(100);
const groupName = z.string().regex(/^[A-Za-z0-9._-]+$/).max(100);

function actor(p: Principal): string {
  return `user:${p.user.username}`;
}

function visibleAgent(service: AgentService, principal: Principal, id: string): AgentRecord {
  const agent = service.registry.get(id);
  if (agent === undefined || !canSeeAgency(principal, agent.agency)) throw notFound(`agent "${id.slice(0, 100)}" does not exist`);
  return agent;
}

function requireAgency(principal: Principal, agency: string): void {
  if (!canSeeAgency(principal, agency)) throw forbidden(`agency "${agency}" is not one of yours`);
}

export function agentsHttpModule(service: AgentService): HttpModule {
  return {
    name: 'agents',
    register(router: Router, api: OpenApiRegistry): void {
      registerTokenRoutes(router, api, service);
      registerConfigRoutes(router, api, service);
      registerAgentRoutes(router, api, service);
      registerCommandRoutes(router, api, service);
    },
  };
}

function registerAgentRoutes(router: Router, api: OpenApiRegistry, service: AgentService): void {
  defineRoute(router, api, {
    method: 'get',
    path: '/agents',
    summary: 'Enrolled endpoint agents',
    description: "Limited to the caller's agencies. `offline` means no heartbeat for `agents.offlineAfterHeartbeats` intervals.",
    tags: ['agents'],
    permission: 'agents:read',
    query: z.object({ status: z.enum(['online', 'offline']).optional(), revoked: z.enum(['true', 'false']).optional() }),
    responses: { 200: { description: 'agents, by host name', schema: z.object({ agents: z.array(agentSchema) }) } },
    handler: ({ principal, query }) => {
      const agents = service.registry
        .list(organizationsOf(principal))
        .filter((a) => (query.status === undefined || a.status === query.status) && (query.revoked === undefined || (a.revokedAt !== null) === (query.revoked === 'true')))
        .map(summarize);
      return { agents };
    },
  });

  defineRoute(router, api, {
    method: 'get',
    path: '/agents/:id',
    summary: 'One agent with its inventory, statistics and configuration version',
    tags: ['agents'],
    permission: 'agents:read',
    params: idParam,
    responses: {
      200: {
        description: 'the agent',
        schema: agentSchema.extend({
          os: z.record(z.string(), z.unknown()),
          stats: z.record(z.string(), z.unknown()).describe('queue depth, drops and counters from its last heartbeat'),
          config_version: z.string(),
          inventory: z.record(z.string(), z.unknown()).nullable(),
          inventory_at: z.string().nullable(),
        }),
      },
      404: { description: 'no such agent in your agencies' },
    },
    handler: ({ principal, params }) => {
      const agent = visibleAgent(service, principal, params.id);
      const inv = service.registry.inventory(agent.id);
      return {
        ...summarize(agent),
        os: agent.os,
        stats: agent.stats,
        config_version: service.configs.effective(agent.agency, agent.group).version,
        inventory: inv?.inventory ?? null,
        inventory_at: inv?.at ?? null,
      };
    },
  });

  defineRoute(router, api, {
    method: 'post',
    path: '/agents/:id/revoke',
    summary: 'Revoke an agent: its next request is refused (403)',
    tags: ['agents'],
    permission: 'agents:manage',
    params: idParam,
    responses: { 200: { description: 'the revoked agent', schema: agentSchema }, 404: { description: 'no such agent in your agencies' } },
    handler: async ({ principal, params }) => summarize(await service.revoke(visibleAgent(service, principal, params.id).id, actor(principal))),
  });
}

function registerTokenRoutes(router: Router, api: OpenApiRegistry, service: AgentService): void {
  defineRoute(router, api, {
    method: 'post',
    path: '/agents/enrollment-tokens',
    summary: 'Create an enrolment token for an agency',
    description: 'The token is shown once: give it to `socnoc-agent enroll --server URL --token TOKEN`. It embeds the agent CA fingerprint the agent pins.',
    tags: ['agents'],
    permission: 'agents:manage',
    body: z
      .object({
        agency: agencyId,
        group: groupName.optional(),
        uses: z.number().int().min(1).max(100_000).default(1),
        expires: z.string().max(20).default('24h').describe('lifetime, e.g. 30m, 24h, 7d'),
      })
      .strict(),
    status: 201,
    responses: { 201: { description: 'the token and its metadata', schema: tokenSchema.extend({ token: z.string() }) } },
    handler: ({ principal, body }) => {
      requireAgency(principal, body.agency);
      let expiresInMs: number;
      try {
        expiresInMs = parseDuration(body.expires);
      } catch (err) {
        throw new HttpError(400, 'invalid_body', `body.expires: ${(err as Error).message}`, { field: 'expires' });
      }
      const { token, info } = service.tokens.create({ agency: body.agency, group: body.group, uses: body.uses, expiresInMs, createdBy: actor(principal) }, service.caFingerprint);
      service.audit?.append({ actor: actor(principal), action: 'agent.token.created', organization: body.agency, target: info.id, details: { uses: body.uses, expires_at: info.expires_at } });
      return { ...info, token };
    },
  });

  defineRoute(router, api, {
    method: 'get',
    path: '/agents/enrollment-tokens',
    summary: 'Enrolment tokens of your agencies (without their secrets)',
    tags: ['agents'],
    permission: 'agents:manage',
    responses: { 200: { description: 'tokens, newest first', schema: z.object({ tokens: z.array(tokenSchema) }) } },
    handler: ({ principal }) => ({ tokens: service.tokens.list(organizationsOf(principal)) }),
  });

  defineRoute(router, api, {
    method: 'delete',
    path: '/agents/enrollment-tokens/:id',
    summary: 'Revoke an enrolment token',
    tags: ['agents'],
    permission: 'agents:manage',
    params: idParam,
    responses: { 204: { description: 'revoked' }, 404: { description: 'no such token in your agencies' } },
    handler: ({ principal, params }) => {
      const info = service.tokens.get(params.id);
      if (info === undefined || !canSeeAgency(principal, info.agency)) throw notFound(`enrolment token "${params.id.slice(0, 100)}" does not exist`);
      service.tokens.revoke(params.id);
      service.audit?.append({ actor: actor(principal), action: 'agent.token.revoked', organization: info.agency, target: info.id, details: {} });
      return undefined;
    },
  });
}

function registerCommandRoutes(router: Router, api: OpenApiRegistry, service: AgentService): void {
  defineRoute(router, api, {
    method: 'post',
    path: '/agents/:id/commands',
    summary: 'Send a response command to an agent',
    description:
      'Types: `yara_scan` {paths?}, `file_hash` {path}, `file_fetch` {path, maxBytes?} (content returned base64 in the result), `isolate` (nftables: only the socnoc server stays reachable), `release`, `restart_collection`. Audited.',
    tags: ['agents'],
    permission: 'agents:command',
    params: idParam,
    body: z.object({ type: z.enum(COMMAND_TYPES), args: z.record(z.string(), z.unknown()).default({}) }).strict(),
    status: 201,
    responses: { 201: { description: 'the queued command', schema: commandSchema }, 404: { description: 'no such agent in your agencies' } },
    handler: ({ principal, params, body }) => {
      const agent = visibleAgent(service, principal, params.id);
      if (agent.revokedAt !== null) throw new HttpError(409, 'conflict', `agent "${agent.id}" is revoked`);
      const parsed = commandArgsSchemas[body.type].safeParse(body.args);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new HttpError(400, 'invalid_body', `body.args.${issue.path.map(String).join('.')}: ${issue.message}`, { field: 'args' });
      }
      return service.sendCommand(agent.id, body.type, parsed.data, actor(principal));
    },
  });

  defineRoute(router, api, {
    method: 'get',
    path: '/agents/:id/commands',
    summary: "An agent's commands, newest first",
    tags: ['agents'],
    permission: 'agents:read',
    params: idParam,
    query: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) }),
    responses: { 200: { description: 'commands', schema: z.object({ commands: z.array(commandSchema) }) } },
    handler: ({ principal, params, query }) => ({ commands: service.commands.listForAgent(visibleAgent(service, principal, params.id).id, query.limit) }),
  });

  defineRoute(router, api, {
    method: 'get',
    path: '/agents/:id/commands/:command',
    summary: 'One command with its result',
    tags: ['agents'],
    permission: 'agents:read',
    params: z.object({ id: z.string().min(1).max(100), command: z.string().min(1).max(100) }),
    responses: { 200: { description: 'the command', schema: commandSchema }, 404: { description: 'no such command' } },
    handler: ({ principal, params }) => {
      const agent = visibleAgent(service, principal, params.id);
      const cmd = service.commands.get(params.command);
      if (cmd === undefined || cmd.agent_id !== agent.id) throw notFound(`command "${params.command.slice(0, 100)}" does not exist`);
      return cmd;
    },
  });
}

function registerConfigRoutes(router: Router, api: OpenApiRegistry, service: AgentService): void {
  const overrideDoc = z.object({ organization: z.object({ id: z.string() }), group: z.string(), config: z.record(z.string(), z.unknown()), updated_at: z.string(), updated_by: z.string() });
  defineRoute(router, api, {
    method: 'get',
    path: '/agents/configs',
    summary: 'Agent configuration overrides per agency and group',
    tags: ['agents'],
    permission: 'agents:read',
    responses: { 200: { description: 'overrides; group "" is agency-wide', schema: z.object({ defaults: z.record(z.string(), z.unknown()), overrides: z.array(overrideDoc) }) } },
    handler: ({ principal }) => ({ defaults: service.configs.effective('', '').config, overrides: service.configs.list(organizationsOf(principal)) }),
  });

  const put = (path: string, summary: string, hasGroup: boolean): void => {
    defineRoute(router, api, {
      method: 'put',
      path,
      summary,
      description: 'Each top-level section given replaces the inherited one (defaults ← agency ← group). Agents pick the change up at their next heartbeat, without restart.',
      tags: ['agents'],
      permission: 'agents:manage',
      params: hasGroup ? z.object({ agency: agencyId, group: groupName }) : z.object({ agency: agencyId }),
      body: agentConfigOverrideSchema,
      responses: { 200: { description: 'the stored override', schema: overrideDoc } },
      handler: ({ principal, params, body }) => {
        const p = params as { agency: string; group?: string };
        requireAgency(principal, p.agency);
        const stored = service.configs.set(p.agency, p.group ?? '', body, actor(principal));
        service.audit?.append({ actor: actor(principal), action: 'agent.config.updated', organization: p.agency, target: p.group ?? '', details: { sections: Object.keys(body).join(',') } });
        return stored;
      },
    });
    defineRoute(router, api, {
      method: 'delete',
      path,
      summary: summary.replace('Set', 'Remove'),
      tags: ['agents'],
      permission: 'agents:manage',
      params: hasGroup ? z.object({ agency: agencyId, group: groupName }) : z.object({ agency: agencyId }),
      responses: { 204: { description: 'removed' }, 404: { description: 'no override there' } },
      handler: ({ principal, params }) => {
        const p = params as { agency: string; group?: string };
        requireAgency(principal, p.agency);
        if (!service.configs.remove(p.agency, p.group ?? '')) throw notFound(`no agent configuration override for ${p.agency}${p.group ? `/${p.group}` : ''}`);
        service.audit?.append({ actor: actor(principal), action: 'agent.config.removed', organization: p.agency, target: p.group ?? '', details: {} });
        return undefined;
      },
    });
  };
  put('/agents/configs/:agency', 'Set the agent configuration override of an agency', false);
  put('/agents/configs/:agency/groups/:group', 'Set the agent configuration override of an agent group', true);
}
