import { Controller, Get, Header, Injectable } from '@nestjs/common';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Histogram, register as defaultRegistry, Registry } from 'prom-client';
import type { CommandBus } from '@vpn/messaging';
import { Public } from './access.decorators';

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

@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: GatewayMetrics) {}

  @Get()
  @Public()
  @ApiExcludeEndpoint()
  @Header('Cache-Control', 'no-store')
  async scrape(): Promise<string> {
    // In the single-process start the other services' metrics (sync durations, peers re-added…)
    // live in prom-client's default registry: serve both.
    const own = await this.metrics.registry.metrics();
    const shared = await defaultRegistry.metrics();
    return shared.trim() ? `${own.trimEnd()}\n${shared}` : own;
  }
}
