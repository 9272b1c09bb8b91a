import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Injectable } from '@nestjs/common';

/** This process's identity as a saga owner; recovery takes over sagas of owners that stopped beating. */
@Injectable()
export class ProvisionerInstance {
  readonly id = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly liveSagas = new Set<string>();

  /**
   * This process's share of every address pool: the live provisioners, sorted by id, each take one
   * equal slice, so replicas allocating at once do not race for the same lowest free address.
   * Membership changes only cost a few retried conflicts; the database's uniqueness stays the guard.
   */
  lane: { index: number; count: number } = { index: 0, count: 1 };

  setPeers(liveIds: readonly string[]): void {
    const ids = [...new Set([...liveIds, this.id])].sort();
    this.lane = { index: ids.indexOf(this.id), count: ids.length };
  }

  /** Runs saga work so shutdown can wait for it, and so recovery leaves this saga alone meanwhile. */
  track<T>(sagaId: string, work: () => Promise<T>): Promise<T> {
    this.liveSagas.add(sagaId);
    const p = work();
    this.inFlight.add(p);
    const done = () => {
      this.inFlight.delete(p);
      this.liveSagas.delete(sagaId);
    };
    void p.then(done, done);
    return p;
  }

  /** True while this process is working on the saga. */
  isLive(sagaId: string): boolean {
    return this.liveSagas.has(sagaId);
  }

  async drain(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }
}
