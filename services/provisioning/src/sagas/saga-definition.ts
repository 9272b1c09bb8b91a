import type { ErrorCode } from '@vpn/contracts';
import type { SagaEntity, SagaKind } from '@vpn/db';

/** One named step of a saga. Both halves are idempotent: recovery may run either again after a crash. */
export interface SagaStep<C> {
  readonly name: string;
  run(ctx: C): Promise<void>;
  /** Undoes the step whether it happened, half happened or not at all (a timeout leaves that unknown). */
  undo?(ctx: C): Promise<void>;
}

/**
 * A saga: its steps in order, what recovery does with one a crash left (`compensate`: undo every
 * started step last-in first-out, then `failed`; `resume`: run on from the last started step), and
 * how its context is rebuilt from the saga row. The row is written with its first step started;
 * the last step ends the saga (state DONE) itself, in its own statement.
 */
export interface SagaDefinition<C> {
  readonly kind: SagaKind;
  readonly steps: readonly SagaStep<C>[];
  readonly onCrash: 'compensate' | 'resume';
  restore(row: SagaEntity): Promise<C>;
  /** Every compensation went through: the saga ends FAILED with `code` (compensating sagas). */
  failed?(ctx: C, code: ErrorCode): Promise<void>;
}

/** A step that failed before it changed anything: there is nothing of it to undo. */
export class NothingDone extends Error {
  constructor(readonly reason: unknown) {
    super('the step changed nothing');
  }
}

/** The definitions recovery looks up by kind. */
export const SAGA_DEFINITIONS = Symbol('SAGA_DEFINITIONS');
