import { existsSync, readdirSync, statSync } from 'node:fs';
import { extname, join, relative, resolve, sep } from 'node:path';
import type { Express, NextFunction, Request, Response } from 'express';

/** Where the dashboard build is: FRONTEND_DIST, or frontend/dist of this checkout. */
export function frontendDist(): string {
  return process.env.FRONTEND_DIST ?? resolve(__dirname, '../../../frontend/dist');
}

/** Encodings the build writes beside a file (frontend/scripts/precompress.mjs), best first. */
const ENCODINGS = [{ name: 'br', suffix: '.br' }, { name: 'gzip', suffix: '.gz' }] as const;
type Encoding = (typeof ENCODINGS)[number]['name'];

/** Vite names every file under assets/ by its content hash: a changed file is a new URL. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';
const SHORT = 'public, max-age=3600';

interface StaticFile {
  path: string;
  type: string;
  cacheControl: string;
  encoded: Partial<Record<Encoding, string>>;
}

function* walk(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* walk(path);
    else yield path;
  }
}

/** The build's files by URL path, read once at start (the build does not change under a running gateway). */
function catalog(dist: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  const all = new Set(walk(dist));
  for (const path of all) {
    if (ENCODINGS.some((e) => path.endsWith(e.suffix))) continue;
    const url = `/${relative(dist, path).split(sep).join('/')}`;
    const encoded: StaticFile['encoded'] = {};
    for (const e of ENCODINGS) if (all.has(path + e.suffix)) encoded[e.name] = path + e.suffix;
    const cacheControl = url.startsWith('/assets/') ? IMMUTABLE : url === '/index.html' ? REVALIDATE : SHORT;
    files.set(url, { path, type: extname(path), cacheControl, encoded });
  }
  return files;
}

function send(req: Request, res: Response, next: NextFunction, file: StaticFile): void {
  const offered = ENCODINGS.map((e) => e.name).filter((name) => file.encoded[name] !== undefined);
  const chosen = offered.length > 0 ? req.acceptsEncodings(offered) : false;
  res.vary('Accept-Encoding');
  res.type(file.type);
  res.setHeader('Cache-Control', file.cacheControl);
  let path = file.path;
  if (typeof chosen === 'string' && file.encoded[chosen as Encoding]) {
    path = file.encoded[chosen as Encoding]!;
    res.setHeader('Content-Encoding', chosen);
  }
  // send keeps the Content-Type set above (not the .br/.gz one) and our Cache-Control.
  res.sendFile(path, { cacheControl: false, dotfiles: 'deny' }, (err) => {
    if (err && !res.headersSent) next();
  });
}

/**
 * Serves the dashboard build at `/`: precompressed when the client accepts it, hashed assets cached
 * forever, index.html (also for client-side routes) revalidated. `/api` and `/metrics` never fall
 * through to the dashboard: they end in the API's JSON 404.
 */
export function serveFrontend(app: Express, dist = frontendDist()): boolean {
  if (!existsSync(join(dist, 'index.html'))) return false;
  const files = catalog(dist);
  const index = files.get('/index.html')!;
  app.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || req.path === '/api' || req.path.startsWith('/api/') || req.path === '/metrics') return next();
    const file = files.get(req.path);
    send(req, res, next, file ?? index);
  });
  return true;
}
