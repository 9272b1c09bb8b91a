import { Inject, Injectable } from '@nestjs/common';
import { DomainError, VpnErrorCode, type ErrorCode } from '@vpn/contracts';
import type { SagaEntity } from '@vpn/db';
import { LOGGER } from '@vpn/platform';
import type { Logger } from '@vpn/runtime';
import { NothingDone, type SagaDefinition, type SagaStep } from './saga-definition';
import { SagasRepository } from './sagas.repository';
import { ProvisionerInstance } from './provisioner-instance';

/**
 * The one code that runs and unwinds sagas, for a live run and for a saga a crash left alike. Before
 * a step starts it is recorded as the saga's last started step — in a compensating saga only steps
 * with an undo (recovery needs to know nothing of the others), in a resuming saga every step.
 * Compensation runs last-in first-out; one that fails is logged and the saga stays PENDING with its
 * step, so recovery tries again later.
 */
@Injectable()
export class SagaRunner {
  constructor(
    @Inject(SagasRepository) private readonly sagas: SagasRepository,
    @Inject(ProvisionerInstance) private readonly instance: ProvisionerInstance,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Runs a saga whose row was just written (its first step started); throws the step's error after unwinding. */
  run<C>(def: SagaDefinition<C>, sagaId: string, ctx: C): Promise<void> {
    return this.instance.track(sagaId, () => this.runFrom(def, sagaId, ctx, 0));
  }

  /** Finishes a saga this process has just claimed from a crashed or stuck owner. */
  recover<C>(def: SagaDefinition<C>, row: SagaEntity): Promise<void> {
    return this.instance.track(row.id, async () => {
      const ctx = await def.restore(row);
      const at = def.steps.findIndex((s) => s.name === row.step);
      if (def.onCrash === 'resume') return this.runFrom(def, row.id, ctx, Math.max(at, 0));
      // Unknown step (a row written before steps were recorded): every step may have started.
      const started = at < 0 ? def.steps : def.steps.slice(0, at + 1);
      if (!(await this.unwind(def, row.id, ctx, started, VpnErrorCode.PROVISIONING_FAILED))) {
        throw new Error('a compensation failed; retried in the next round');
      }
      this.logger.info({ sagaId: row.id, kind: def.kind, step: row.step }, 'compensated a saga left by a crash');
    });
  }

  private async runFrom<C>(def: SagaDefinition<C>, sagaId: string, ctx: C, from: number): Promise<void> {
    const started: SagaStep<C>[] = def.steps.slice(0, from);
    for (let i = from; i < def.steps.length; i++) {
      const step = def.steps[i];
      try {
        // The step at `from` is recorded already (by the row's insert, or it is the one recovery resumes).
        if (i > from && (def.onCrash === 'resume' || step.undo)) await this.sagas.markStep(sagaId, step.name, this.instance.id);
        started.push(step);
        await step.run(ctx);
      } catch (caught) {
        let e = caught;
        if (e instanceof NothingDone) {
          started.pop();
          e = e.reason;
        }
        if (def.onCrash === 'resume') {
          this.logger.warn({ sagaId, kind: def.kind, step: step.name, err: (e as Error).message }, 'saga step failed; recovery resumes it');
        } else {
          await this.unwind(def, sagaId, ctx, started, e instanceof DomainError ? e.code : VpnErrorCode.PROVISIONING_FAILED);
        }
        throw e;
      }
    }
  }

  /** Undoes the started steps last-in first-out; all of them run even when one fails. True when all went through and the saga ended FAILED. */
  private async unwind<C>(def: SagaDefinition<C>, sagaId: string, ctx: C, started: readonly SagaStep<C>[], code: ErrorCode): Promise<boolean> {
    let allDone = true;
    for (const step of [...started].reverse()) {
      if (!step.undo) continue;
      try {
        await step.undo(ctx);
      } catch (e) {
        allDone = false;
        this.logger.error({ sagaId, kind: def.kind, step: step.name, err: (e as Error).message }, 'compensation failed; saga left for recovery');
      }
    }
    if (!allDone) return false;
    try {
      await def.failed?.(ctx, code);
      return true;
    } catch (e) {
      this.logger.error({ sagaId, kind: def.kind, err: (e as Error).message }, 'could not mark the saga failed; recovery will');
      return false;
    }
  }
}
