/**
 * Every API error is JSON `{"error": {"code", "message", ...}}`. Handlers throw HttpError; anything
 * else becomes a 500 whose body says nothing about the cause (the log has the stack).
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';

export type ErrorCode =
  | 'bad_request'
  | 'invalid_json'
  | 'invalid_body'
  | 'invalid_parameter'
  | 'query_syntax'
  | 'invalid_query'
  | 'unauthorized'
  | 'invalid_credentials'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'too_many_requests'
  | 'internal';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | string,
    message: string,
    /** Extra members of the error object, e.g. `{ parameter: 'from' }` or `{ position: 12 }`. */
    readonly details: Record<string, string | number | boolean | null> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const badRequest = (message: string, details?: HttpError['details']): HttpError => new HttpError(400, 'bad_request', message, details);
export const invalidParameter = (parameter: string, reason: string): HttpError =>
  new HttpError(400, 'invalid_parameter', `parameter "${parameter}": ${reason}`, { parameter });
export const notFound = (message: string): HttpError => new HttpError(404, 'not_found', message);
export const forbidden = (message = 'you do not have permission for this'): HttpError => new HttpError(403, 'forbidden', message);
export const unauthorized = (message = 'authentication required: log in or send an Authorization: Bearer token'): HttpError =>
  new HttpError(401, 'unauthorized', message);

/** Errors raised by express.json (body-parser) carry a `type`; map them to our codes. */
interface ParserError {
  type?: string;
  status?: number;
  expose?: boolean;
  message?: string;
  limit?: number;
}

function fromParserError(err: ParserError): HttpError | undefined {
  switch (err.type) {
    case 'entity.too.large':
      return new HttpError(413, 'payload_too_large', `request body exceeds the limit of ${err.limit ?? '?'} bytes`);
    case 'entity.parse.failed':
      return new HttpError(400, 'invalid_json', `request body is not valid JSON: ${err.message ?? ''}`.trim());
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new HttpError(415, 'unsupported_media_type', err.message ?? 'unsupported body encoding');
    case 'request.aborted':
    case 'request.size.invalid':
      return new HttpError(400, 'bad_request', err.message ?? 'request body incomplete');
    default:
      if (typeof err.status === 'number' && err.status >= 400 && err.status < 500 && err.expose) {
        return new HttpError(err.status, 'bad_request', err.message ?? 'bad request');
      }
      return undefined;
  }
}

export function errorBody(err: HttpError, requestId?: string): { error: Record<string, unknown> } {
  return { error: { code: err.code, message: err.message, ...err.details, ...(requestId ? { requestId } : {}) } };
}

/** The last middleware: turns anything thrown into the JSON error shape. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    let httpError = err instanceof HttpError ? err : fromParserError(err as ParserError);
    if (!httpError) {
      logger.error({ err, requestId: req.requestId, method: req.method, path: req.path }, 'request failed');
      httpError = new HttpError(500, 'internal', 'internal server error; the server log has details under this requestId');
    }
    if (res.headersSent) {
      next(err);
      return;
    }
    if (httpError.status === 429 && typeof httpError.details.retryAfterSeconds === 'number') {
      res.setHeader('Retry-After', String(httpError.details.retryAfterSeconds));
    }
    res.status(httpError.status).json(errorBody(httpError, req.requestId));
  };
}

/** Unknown routes under /api. */
export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new HttpError(404, 'not_found', `no route ${req.method} ${req.originalUrl.split('?')[0].slice(0, 200)}`));
};
