/**
 * One log line per request with chosen fields only — never headers, bodies or the query string —
 * so credentials cannot reach the log even if the logger's redaction list misses a path.
 */
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';

/** Scraped or polled every few seconds: logged at debug to keep the info log readable. */
const QUIET_PATHS = new Set(['/metrics', '/api/v1/health']);

export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    // Taken now: routers rewrite req.url while they handle the request.
    const path = req.path;
    res.on('finish', () => {
      const entry = {
        requestId: req.requestId,
        method: req.method,
        path,
        status: res.statusCode,
        ms: Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10,
        user: req.principal?.user.username,
        address: req.socket.remoteAddress,
      };
      if (res.statusCode >= 500) logger.error(entry, 'request');
      else if (QUIET_PATHS.has(path) && res.statusCode < 400) logger.debug(entry, 'request');
      else logger.info(entry, 'request');
    });
    next();
  };
}
