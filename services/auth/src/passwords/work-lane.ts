import { AuthErrorCode, DomainError } from '@vpn/contracts';

/**
 * Runs at most `concurrency` jobs at once, first come first served; when `maxWaiting` jobs already
 * wait, a new one is refused at once (429 TOO_MANY_ATTEMPTS) instead of queueing without bound.
 */
export class WorkLane {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly name: string, private readonly concurrency: number, private readonly maxWaiting: number) {}

  get size(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.maxWaiting) throw new DomainError(AuthErrorCode.TOO_MANY_ATTEMPTS, 'too many requests right now; try again shortly');
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running += 1;
    }
    try {
      return await job();
    } finally {
      const next = this.waiting.shift();
      // The slot passes straight to the next waiter, so `running` never dips below the work in flight.
      if (next) next();
      else this.running -= 1;
    }
  }
}
