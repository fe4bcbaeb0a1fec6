/**
 * The OpenAPI 3.1 document, assembled from what each module registers. Schemas are the same zod
 * objects the routes validate with (converted by zod's JSON Schema output, which is the 2020-12
 * dialect OpenAPI 3.1 uses), so the document cannot drift from the code.
 */
import { z } from 'zod';
import type { Permission } from '../auth/roles';
import { SESSION_COOKIE } from './cookies';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface ResponseDoc {
  description: string;
  /** JSON body; omit for an empty body. */
  schema?: z.ZodType;
  /** For non-JSON bodies (e.g. text/plain for /metrics), described as a string. */
  contentType?: string;
}

export interface OperationDoc {
  method: HttpMethod;
  /** Express-style path relative to the registry's base path, e.g. `/users/:username`. */
  path: string;
  summary: string;
  description?: string;
  tags?: string[];
  /** Defaults to false: the route needs a session cookie or bearer token. */
  public?: boolean;
  permission?: Permission;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  responses: Record<number, ResponseDoc>;
}

type JsonSchema = Record<string, unknown>;

interface StoredOperation {
  doc: OperationDoc;
  fullPath: string;
}

export const errorSchema = z
  .object({
    error: z
      .looseObject({
        code: z.string().describe('machine-readable code, e.g. invalid_parameter'),
        message: z.string().describe('what was wrong, naming the input'),
        requestId: z.string().optional(),
      })
      .describe('extra members name the culprit: parameter, position, permission'),
  })
  .describe('every 4xx and 5xx response');

function toJsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const out = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  delete out.$schema;
  return out;
}

/** `/users/:username` → `/users/{username}`. */
function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function operationId(method: HttpMethod, path: string): string {
  const words = path
    .split('/')
    .filter((s) => s !== '' && s !== 'api' && s !== 'v1')
    .map((s) => (s.startsWith(':') ? `by_${s.slice(1)}` : s))
    .join('_')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== '');
  return method + words.map((w) => w[0].toUpperCase() + w.slice(1)).join('');
}

function parametersOf(schema: z.ZodObject | undefined, location: 'path' | 'query'): JsonSchema[] {
  if (!schema) return [];
  const out: JsonSchema[] = [];
  for (const [name, field] of Object.entries(schema.shape) as Array<[string, z.ZodType]>) {
    const fieldSchema = toJsonSchema(field, 'input');
    const description = typeof fieldSchema.description === 'string' ? fieldSchema.description : undefined;
    delete fieldSchema.description;
    out.push({
      name,
      in: location,
      // A field that accepts undefined (optional or defaulted) is an optional parameter.
      required: location === 'path' || !field.safeParse(undefined).success,
      ...(description ? { description } : {}),
      schema: fieldSchema,
    });
  }
  return out;
}

const ERROR_RESPONSE = { $ref: '#/components/responses/Error' };

export class OpenApiRegistry {
  private readonly operations: StoredOperation[] = [];
  private readonly keys = new Set<string>();

  constructor(
    private readonly info: { title: string; version: string; description?: string },
    /** Prefix of the paths modules register, e.g. `/api/v1`. */
    readonly basePath = '/api/v1',
  ) {}

  /** Documents one operation. `basePath` overrides the registry's (use '' for /metrics). */
  add(doc: OperationDoc, options: { basePath?: string } = {}): void {
    const fullPath = (options.basePath ?? this.basePath) + doc.path;
    const key = `${doc.method} ${fullPath}`;
    if (this.keys.has(key)) throw new Error(`OpenAPI: ${doc.method.toUpperCase()} ${fullPath} is registered twice`);
    this.keys.add(key);
    this.operations.push({ doc, fullPath });
  }

  /** Registered routes as `GET /api/v1/events` (express-style paths). */
  routes(): Array<{ method: HttpMethod; path: string; public: boolean }> {
    return this.operations.map(({ doc, fullPath }) => ({ method: doc.method, path: fullPath, public: doc.public === true }));
  }

  document(): JsonSchema {
    const paths: Record<string, Record<string, JsonSchema>> = {};
    for (const { doc, fullPath } of this.operations) {
      const path = openApiPath(fullPath);
      paths[path] ??= {};
      paths[path][doc.method] = this.operation(doc, fullPath);
    }
    const tags = [...new Set(this.operations.flatMap((o) => o.doc.tags ?? []))].sort().map((name) => ({ name }));
    return {
      openapi: '3.1.0',
      info: { title: this.info.title, version: this.info.version, ...(this.info.description ? { description: this.info.description } : {}) },
      tags,
      security: [{ sessionCookie: [] }, { bearerToken: [] }],
      paths,
      components: {
        securitySchemes: {
          sessionCookie: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: 'set by POST /api/v1/auth/login' },
          bearerToken: { type: 'http', scheme: 'bearer', description: 'a session token from login, or an API token from POST /api/v1/tokens' },
        },
        schemas: { Error: toJsonSchema(errorSchema, 'output') },
        responses: {
          Error: { description: 'error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
        },
      },
    };
  }

  private operation(doc: OperationDoc, fullPath: string): JsonSchema {
    const responses: Record<string, JsonSchema> = {};
    for (const [status, r] of Object.entries(doc.responses)) {
      const content = r.contentType
        ? { [r.contentType]: { schema: { type: 'string' } } }
        : r.schema
          ? { 'application/json': { schema: toJsonSchema(r.schema, 'output') } }
          : undefined;
      responses[status] = { description: r.description, ...(content ? { content } : {}) };
    }
    // The errors the framework itself can produce for this route.
    if (doc.params || doc.query || doc.body) responses['400'] ??= { ...ERROR_RESPONSE };
    if (!doc.public) responses['401'] ??= { ...ERROR_RESPONSE };
    if (doc.permission) responses['403'] ??= { ...ERROR_RESPONSE };
    if (doc.body) {
      responses['413'] ??= { ...ERROR_RESPONSE };
      responses['415'] ??= { ...ERROR_RESPONSE };
    }
    responses['500'] ??= { ...ERROR_RESPONSE };
    const description = [doc.description, doc.permission ? `Requires permission \`${doc.permission}\`.` : undefined].filter(Boolean).join('\n\n');
    return {
      operationId: operationId(doc.method, fullPath),
      summary: doc.summary,
      ...(description ? { description } : {}),
      ...(doc.tags ? { tags: doc.tags } : {}),
      ...(doc.public ? { security: [] } : {}),
      ...(doc.permission ? { 'x-permission': doc.permission } : {}),
      parameters: [...parametersOf(doc.params, 'path'), ...parametersOf(doc.query, 'query')],
      ...(doc.body ? { requestBody: { required: true, content: { 'application/json': { schema: toJsonSchema(doc.body, 'input') } } } } : {}),
      responses,
    };
  }
}
