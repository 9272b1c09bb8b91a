import { createServer, type Server } from 'node:http';
import { register } from 'prom-client';
import type { HealthView } from '@vpn/contracts';
import { pingDatabase, type DataSource } from '@vpn/db';
import type { MessageTransport } from '@vpn/messaging';

/** Readiness of a process: its database answers and its bus is connected. */
export async function checkHealth(ds: DataSource, transport: MessageTransport): Promise<HealthView> {
  const [db, bus] = await Promise.all([pingDatabase(ds, 2_000), transport.isHealthy().catch(() => false)]);
  return { status: db && bus ? 'ok' : 'unavailable', checks: { db: db ? 'up' : 'down', bus: bus ? 'up' : 'down' } };
}

/** The small /health (and /metrics: prom-client's default registry) listener of a service process that has no HTTP API of its own. */
export function startHealthServer(port: number, check: () => Promise<HealthView>): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/metrics') {
      register.metrics().then(
        (text) => res.writeHead(200, { 'content-type': register.contentType, 'cache-control': 'no-store' }).end(text),
        () => res.writeHead(500).end(),
      );
      return;
    }
    if (req.method !== 'GET' || (req.url !== '/health' && req.url !== '/api/health')) {
      res.writeHead(404).end();
      return;
    }
    check().then(
      (h) => res.writeHead(h.status === 'ok' ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(h)),
      () => res.writeHead(503).end(),
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '0.0.0.0', () => resolve(server));
  });
}
