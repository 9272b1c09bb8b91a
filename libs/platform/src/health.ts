import { Controller, Get, HttpStatus, Inject, Injectable, Module, Res } from '@nestjs/common';
import { HealthCheckService, HealthIndicatorService, TerminusModule, type HealthIndicatorResult } from '@nestjs/terminus';
import type { Response } from 'express';
import { register } from 'prom-client';
import { Payload } from '@nestjs/microservices';
import type { CommandReply, HealthView } from '@vpn/contracts';
import { pingDatabase } from '@vpn/db';
import { CommandPattern } from '@vpn/messaging';
import type { ServiceContext } from './service';

/** Injection token of the context a service runs on (defined here to keep health free of the Nest wiring). */
export const SERVICE_CONTEXT = Symbol('SERVICE_CONTEXT');

const PROBE_TIMEOUT_MS = 2_000;

/**
 * Readiness of a process on @nestjs/terminus: its database answers and its bus is connected.
 * A process without a database (the gateway) reports `db` as the database's owner sees it
 * (`health.database` over the bus). The answer keeps our contract's shape (`{status, checks: {db, bus}}`, API.md §3).
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
        () => this.indicate('db', () => this.databaseUp()),
        () => this.indicate('bus', () => this.ctx.transport.isHealthy()),
      ])
      .catch((e: { response?: { details?: Record<string, { status: string }> } }) => ({ status: 'error' as const, details: e.response?.details ?? {} }));
    const up = (key: string) => (result.details as Record<string, { status: string } | undefined>)[key]?.status === 'up';
    return { status: result.status === 'ok' ? 'ok' : 'unavailable', checks: { db: up('db') ? 'up' : 'down', bus: up('bus') ? 'up' : 'down' } };
  }

  private async databaseUp(): Promise<boolean> {
    if (this.ctx.dataSource) return pingDatabase(this.ctx.dataSource, PROBE_TIMEOUT_MS);
    const reply = await this.ctx.commands.request('health.database', {}, { timeoutMs: PROBE_TIMEOUT_MS + 1_000 });
    return reply.db === 'up';
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

/** `health.database` on the bus, answered by the service that owns the subject (see COMMAND_OWNERS). */
@Controller()
export class DatabaseHealthCommands {
  constructor(@Inject(SERVICE_CONTEXT) private readonly ctx: ServiceContext) {}

  @CommandPattern('health.database')
  async database(@Payload() _req: unknown): Promise<CommandReply<'health.database'>> {
    const up = this.ctx.dataSource !== undefined && (await pingDatabase(this.ctx.dataSource, PROBE_TIMEOUT_MS).catch(() => false));
    return { db: up ? 'up' : 'down' };
  }
}

/** Terminus with our readiness checks; `serve` adds the health listener's controller, `answerDatabaseHealth` the bus command. */
@Module({})
export class ReadinessModule {
  static forRoot(opts: { serve: boolean; answerDatabaseHealth?: boolean }) {
    return {
      module: ReadinessModule,
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [...(opts.serve ? [ServiceHealthController] : []), ...(opts.answerDatabaseHealth ? [DatabaseHealthCommands] : [])],
      providers: [ReadinessService],
      exports: [ReadinessService],
    };
  }
}
