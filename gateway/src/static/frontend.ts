import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import express, { type Express } from 'express';

/** Where the dashboard build is: FRONTEND_DIST, or frontend/dist of this checkout. */
export function frontendDist(): string {
  return process.env.FRONTEND_DIST ?? resolve(__dirname, '../../../frontend/dist');
}

/**
 * Serves the dashboard build at `/`, with index.html for client-side routes.
 * `/api` and `/metrics` never fall through to the dashboard.
 */
export function serveFrontend(app: Express, dist = frontendDist()): boolean {
  const index = join(dist, 'index.html');
  if (!existsSync(index)) return false;
  const files = express.static(dist, { index: false, maxAge: '1h', immutable: false });
  // API calls never look on disk (a stat per request otherwise).
  app.use((req, res, next) => (req.path.startsWith('/api/') || req.path === '/metrics' ? next() : files(req, res, next)));
  app.get(/^\/(?!api(\/|$)|metrics$).*/, (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  return true;
}
