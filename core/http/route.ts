/**
 * One call both mounts a route and documents it: the zod schemas that validate params, query and
 * body are the ones the OpenAPI document shows. Modules may still use the router directly, but
 * then they must call `api.add` themselves.
 */
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import type { Principal } from '../auth/principal';
import { principal as principalOfRequest, requirePermission } from './authenticate';
import { HttpError } from './errors';
import type { OpenApiRegistry, OperationDoc } from './openapi';

type Output<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteContext<P, Q, B> {
  req: Request;
  res: Response;
  params: Output<P>;
  query: Output<Q>;
  body: Output<B>;
  /** The caller; throws 401 on public routes where nobody is logged in. */
  readonly principal: Principal;
}

export interface RouteSpec<P extends z.ZodObject | undefined, Q extends z.ZodObject | undefined, B extends z.ZodType | undefined>
  extends Omit<OperationDoc, 'params' | 'query' | 'body'> {
  params?: P;
  query?: Q;
  body?: B;
  /** Status for a returned value (default 200); a handler returning undefined answers 204. */
  status?: number;
  handler: (ctx: RouteContext<P, Q, B>) => unknown;
}

/** Names the first problem with its location: `parameter "limit": must be at most 1000`. */
function describeIssue(where: 'parameter' | 'body', error: z.ZodError): HttpError {
  const issue = error.issues[0];
  const path = issue.path.map(String).join('.');
  if (where === 'parameter') {
    const name = path || '(query)';
    return new HttpError(400, 'invalid_parameter', `parameter "${name}": ${issue.message}`, { parameter: name });
  }
  const field = path ? `body.${path}` : 'body';
  return new HttpError(400, 'invalid_body', `${field}: ${issue.message}`, path ? { field: path } : {});
}

function parsePart(schema: z.ZodType | undefined, value: unknown, where: 'parameter' | 'body'): unknown {
  if (!schema) return undefined;
  const result = schema.safeParse(value);
  if (!result.success) throw describeIssue(where, result.error);
  return result.data;
}

export function defineRoute<
  P extends z.ZodObject | undefined = undefined,
  Q extends z.ZodObject | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
>(router: Router, api: OpenApiRegistry, spec: RouteSpec<P, Q, B>): void {
  const { handler, status, ...doc } = spec;
  api.add(doc as OperationDoc);
  const guards = spec.permission ? [requirePermission(spec.permission)] : [];
  router[spec.method](spec.path, ...guards, async (req: Request, res: Response) => {
    if (spec.body && !req.is('application/json')) {
      throw new HttpError(415, 'unsupported_media_type', 'request body must be JSON (Content-Type: application/json)');
    }
    const ctx = {
      req,
      res,
      params: parsePart(spec.params, req.params, 'parameter'),
      query: parsePart(spec.query, req.query, 'parameter'),
      body: parsePart(spec.body, req.body, 'body'),
      get principal(): Principal {
        return principalOfRequest(req);
      },
    } as RouteContext<P, Q, B>;
    const result = await handler(ctx);
    if (res.headersSent) return;
    if (result === undefined) res.status(status ?? 204).end();
    else res.status(status ?? 200).json(result);
  });
}
