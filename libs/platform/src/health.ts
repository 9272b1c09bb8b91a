import { Controller, Get, HttpStatus, Inject, Injectable, Module, Res } from '@nestjs/common';
import { HealthCheckService, HealthIndicatorService, TerminusModule, type HealthIndicatorResult } from '@nestjs/terminus';
import type { Response } from 'express';
import { register } from 'prom-client';
import type { HealthView } from '@vpn/contracts';
import { pingDatabase } from '@vpn/db';
import type { ServiceContext } from './service';

/** Injection token of the context a service runs on (defined here to keep health free of the Nest wiring). */
export const SERVICE_CONTEXT = Symbol('SERVICE_CONTEXT');

/**
 * Readiness of a process on @nestjs/terminus: its database answers and its bus is connected.
 * The answer keeps our contract's shape (`{status, checks: {db, bus}}`, API.md §3).
 */
@Injectable()
export class ReadinessService {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(SERVICE_CONTEXT) private readonly ctx: ServiceContext,
  ) {}

  async check(): Promise<HealthView> {
    const result = await this.health
      .check([
        () => this.indicate('db', () => pingDatabase(this.ctx.dataSource, 2_000)),
        () => this.indicate('bus', () => this.ctx.transport.isHealthy()),
      ])
      .catch((e: { response?: { details?: Record<string, { status: string }> } }) => ({ status: 'error' as const, details: e.response?.details ?? {} }));
    const up = (key: string) => (result.details as Record<string, { status: string } | undefined>)[key]?.status === 'up';
    return { status: result.status === 'ok' ? 'ok' : 'unavailable', checks: { db: up('db') ? 'up' : 'down', bus: up('bus') ? 'up' : 'down' } };
  }

  private async indicate(key: string, probe: () => Promise<boolean>): Promise<HealthIndicatorResult> {
    const session = this.indicators.check(key);
    return (await probe().catch(() => false)) ? session.up() : session.down();
  }
}

/** `/health` and `/metrics` of a service process that has no HTTP API of its own (its HEALTH_PORT). */
@Controller()
export class ServiceHealthController {
  constructor(private readonly readiness: ReadinessService) {}

  @Get(['health', 'api/health'])
  async health(@Res({ passthrough: true }) res: Response): Promise<HealthView> {
    const h = await this.readiness.check();
    res.status(h.status === 'ok' ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return h;
  }

  @Get('metrics')
  async metrics(@Res() res: Response): Promise<void> {
    res.status(200).set({ 'content-type': register.contentType, 'cache-control': 'no-store' }).send(await register.metrics());
  }
}

/** Terminus with our readiness checks; `serve` adds the health listener's controller. */
@Module({})
export class ReadinessModule {
  static forRoot(opts: { serve: boolean }) {
    return {
      module: ReadinessModule,
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: opts.serve ? [ServiceHealthController] : [],
      providers: [ReadinessService],
      exports: [ReadinessService],
    };
  }
}
