import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Injectable } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Histogram, register as defaultRegistry, Registry } from 'prom-client';
import type { HealthView } from '@vpn/contracts';
import type { CommandBus } from '@vpn/messaging';

/** Prometheus metrics of one gateway: HTTP latency by route, NATS request latency, process metrics. */
@Injectable()
export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly http = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by route template, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  private readonly nats = new Histogram({
    name: 'nats_request_duration_seconds',
    help: 'Bus command latency by subject and outcome',
    labelNames: ['subject', 'outcome'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  observeBus(commands: CommandBus): void {
    commands.observe((subject, ms, outcome) => this.nats.observe({ subject, outcome }, ms / 1000));
  }

  /** Express middleware: times every request, labelled by the matched route template (not the raw URL). */
  middleware() {
    return (req: Request, res: Response, next: NextFunction): void => {
      const started = process.hrtime.bigint();
      res.on('finish', () => {
        const route = (req.route as { path?: string } | undefined)?.path;
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        this.http.observe({ route: route ? `${req.baseUrl}${route}` : 'unmatched', method: req.method, status: String(res.statusCode) }, seconds);
      });
      next();
    };
  }
}

/** Everything this process measures: the gateway's own registry and, in the single-process start, the
 * other services' metrics (sync durations, saga steps…) on prom-client's default registry. */
async function scrape(metrics: GatewayMetrics): Promise<string> {
  const own = await metrics.registry.metrics();
  const shared = await defaultRegistry.metrics();
  return shared.trim() ? `${own.trimEnd()}\n${shared}` : own;
}

export interface MetricsListener {
  url: string;
  close(): Promise<void>;
}

/**
 * The operators' listener on METRICS_PORT, apart from the public port: `/metrics` (Prometheus text)
 * and `/health` (readiness). Nothing else is served on it.
 */
export async function listenForMetrics(port: number, metrics: GatewayMetrics, health: () => Promise<HealthView>): Promise<MetricsListener> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    const answer = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' }).end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return answer(405, 'text/plain; charset=utf-8', 'method not allowed\n');
    if (path === '/metrics') {
      scrape(metrics).then((text) => answer(200, defaultRegistry.contentType, text), () => answer(500, 'text/plain; charset=utf-8', 'metrics failed\n'));
    } else if (path === '/health') {
      health().then((h) => answer(h.status === 'ok' ? 200 : 503, 'application/json', JSON.stringify(h)), () => answer(503, 'application/json', JSON.stringify({ status: 'unavailable' })));
    } else {
      answer(404, 'text/plain; charset=utf-8', 'not found\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '0.0.0.0', () => resolve());
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}`,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
