/**
 * Serves the built single-page console: hashed assets with a long cache life, index.html (never
 * cached, so a new build is picked up) for `/` and for every other non-API path so that deep links
 * such as /alerts/<id> survive a reload. A strict Content-Security-Policy: the bundle needs no
 * inline script, eval or third-party origin.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import express, { type Express, type RequestHandler } from 'express';

export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // React writes style properties through the CSSOM (allowed); 'unsafe-inline' covers the few
  // style attributes a browser extension or devtools may add without weakening script-src.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self' data:",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "object-src 'none'",
].join('; ');

/** Paths that belong to the server, never to the console's router. */
const SERVER_PREFIXES = ['/api/', '/api', '/metrics'];

/**
 * Where the built console is: an explicit folder, else dist/web next to the compiled server
 * (dist/dashboards/ → dist/web), else dist/web under the source tree (tests running from source).
 */
export function resolveConsoleDir(configured: string): string | undefined {
  const candidates = configured !== '' ? [resolve(configured)] : [resolve(__dirname, '..', 'web'), resolve(__dirname, '..', 'dist', 'web')];
  for (const dir of candidates) if (existsSync(join(dir, 'index.html'))) return dir;
  return undefined;
}

const NOT_BUILT_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>socnoc</title></head>
<body style="font-family:sans-serif;margin:3rem"><h1>socnoc</h1>
<p>The web console has not been built. Run <code>npm run build</code> (or set <code>console.dir</code>); the API is available under <a href="/api/v1/openapi.json">/api/v1</a>.</p>
</body></html>`;

function isServerPath(path: string): boolean {
  for (const prefix of SERVER_PREFIXES) if (path === prefix || path.startsWith(prefix.endsWith('/') ? prefix : prefix + '/')) return true;
  return false;
}

export function mountConsole(app: Express, dir: string | undefined): void {
  const setCsp: RequestHandler = (_req, res, next) => {
    res.setHeader('Content-Security-Policy', CONSOLE_CSP);
    next();
  };
  if (dir === undefined) {
    app.get(/.*/, setCsp, (req, res, next) => {
      if (isServerPath(req.path)) return next();
      res.status(503).type('html').setHeader('Cache-Control', 'no-store');
      res.send(NOT_BUILT_PAGE);
    });
    return;
  }
  const indexHtml = readFileSync(join(dir, 'index.html'));
  app.use(
    '/assets',
    setCsp,
    // Vite names every asset after its content hash: a changed file gets a new name.
    express.static(join(dir, 'assets'), { immutable: true, maxAge: '365d', index: false, fallthrough: false }),
  );
  app.use(setCsp, express.static(dir, { index: false, maxAge: '1h', fallthrough: true }));
  app.get(/.*/, (req, res, next) => {
    if (isServerPath(req.path)) return next();
    // Only browsers navigating want the app shell; a missing /favicon.png is a plain 404.
    const last = req.path.slice(req.path.lastIndexOf('/') + 1);
    if (last.includes('.') && !req.accepts('html')) return next();
    res.setHeader('Content-Security-Policy', CONSOLE_CSP);
    res.setHeader('Cache-Control', 'no-cache');
    res.type('html').send(indexHtml);
  });
}
