import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { SagaKind } from '@vpn/db';
import { LOGGER } from '@vpn/platform';
import type { Logger } from '@vpn/runtime';
import { SAGA_DEFINITIONS, type SagaDefinition } from './saga-definition';
import { SagaRunner } from './saga-runner';
import { SagasRepository } from './sagas.repository';
import { ProvisionerInstance } from './provisioner-instance';
import { ProvisionersRepository } from './provisioners.repository';

export interface RecoveryTiming {
  heartbeatMs: number;
  /** An owner whose heartbeat is older than this is gone. */
  staleAfterMs: number;
  /** A saga of a live owner untouched for this long is stuck and taken over too. */
  stuckAfterMs: number;
}

export const RECOVERY_TIMING = Symbol('RECOVERY_TIMING');
export const DEFAULT_RECOVERY_TIMING: RecoveryTiming = { heartbeatMs: 2_000, staleAfterMs: 10_000, stuckAfterMs: 120_000 };

/** The round's timeout in the SchedulerRegistry. */
export const SAGA_RECOVERY_TIMEOUT = 'saga-recovery';

/**
 * Hands what a crash left to the saga runner: each provisioner beats a heartbeat; a PENDING saga is
 * taken over only from an owner that stopped beating (or after it is stuck), by one process, with a
 * compare-and-set on the owner, and finished by its definition (looked up by kind).
 */
@Injectable()
export class SagaRecovery implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private running: Promise<void> | null = null;
  private stopped = false;
  private readonly definitions: ReadonlyMap<SagaKind, SagaDefinition<unknown>>;

  constructor(
    @Inject(SagasRepository) private readonly sagas: SagasRepository,
    @Inject(ProvisionersRepository) private readonly provisioners: ProvisionersRepository,
    @Inject(SagaRunner) private readonly runner: SagaRunner,
    @Inject(SAGA_DEFINITIONS) definitions: ReadonlyArray<SagaDefinition<unknown>>,
    @Inject(ProvisionerInstance) private readonly instance: ProvisionerInstance,
    @Inject(RECOVERY_TIMING) private readonly timing: RecoveryTiming,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(SchedulerRegistry) private readonly scheduler: SchedulerRegistry,
  ) {
    this.definitions = new Map(definitions.map((d) => [d.kind, d]));
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.beat();
    this.schedule();
  }

  /** In-flight sagas finish before the SSH pool and the database close. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.scheduler.doesExist('timeout', SAGA_RECOVERY_TIMEOUT)) this.scheduler.deleteTimeout(SAGA_RECOVERY_TIMEOUT);
    await this.running;
    await this.instance.drain();
    await this.provisioners.leave(this.instance.id).catch(() => undefined);
  }

  /** The next round starts heartbeatMs after the last one ended, so two rounds never overlap. */
  private schedule(): void {
    if (this.stopped) return;
    this.scheduler.addTimeout(SAGA_RECOVERY_TIMEOUT, setTimeout(() => {
      this.scheduler.deleteTimeout(SAGA_RECOVERY_TIMEOUT);
      this.running = this.tick().finally(() => {
        this.running = null;
        this.schedule();
      });
    }, this.timing.heartbeatMs));
  }

  private async tick(): Promise<void> {
    try {
      await this.beat();
      await this.recoverOnce();
    } catch (e) {
      this.logger.warn({ err: (e as Error).message }, 'saga recovery round failed');
    }
  }

  /** Beats, and learns which provisioners are alive: they split each pool into lanes by it. */
  private async beat(): Promise<void> {
    this.instance.setPeers(await this.provisioners.beat(this.instance.id, this.timing.staleAfterMs));
  }

  /** One round: take over and finish every orphaned saga. Returns how many were handled. */
  async recoverOnce(): Promise<number> {
    const orphans = await this.sagas.orphans(this.timing, this.instance.id);
    let handled = 0;
    for (const saga of orphans) {
      if (this.stopped) break;
      // Ours and still running here: not an orphan. Ours and not running: a compensation that failed
      // (the database or the server was away) — retried now, not after the stuck timeout.
      if (saga.owner === this.instance.id && this.instance.isLive(saga.id)) continue;
      const definition = this.definitions.get(saga.kind);
      if (!definition) continue;
      if (!(await this.sagas.claim(saga, this.instance.id))) continue; // another process took it
      try {
        await this.runner.recover(definition, { ...saga, owner: this.instance.id });
        handled++;
      } catch (e) {
        this.logger.warn({ sagaId: saga.id, kind: saga.kind, err: (e as Error).message }, 'recovering a saga failed; will retry');
      }
    }
    return handled;
  }
}
