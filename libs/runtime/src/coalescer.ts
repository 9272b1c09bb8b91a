export interface CoalescerOptions {
  /** Most items per batch. */
  maxBatch?: number;
  /** Batches in flight at once; further calls wait and join the next batch. */
  maxInFlight?: number;
}

interface Waiting<I, R> {
  item: I;
  resolve: (r: R) => void;
  reject: (e: unknown) => void;
}

/**
 * Turns single calls into batch calls without a timer: a call made while nothing is in flight goes
 * out at once; one made while a batch is in flight but a slot is free goes out with whatever arrives
 * in the same turn of the event loop; calls made while every slot is busy are sent together when one
 * frees. A lone caller pays no extra latency; under load the batches grow on their own. `send`
 * returns one result per item, in order; if it throws, every item of that batch fails with its error.
 */
export class Coalescer<I, R> {
  private readonly queue: Array<Waiting<I, R>> = [];
  private inFlight = 0;
  private scheduled = false;
  private readonly maxBatch: number;
  private readonly maxInFlight: number;

  constructor(private readonly send: (items: I[]) => Promise<R[]>, opts: CoalescerOptions = {}) {
    this.maxBatch = Math.max(1, opts.maxBatch ?? 200);
    this.maxInFlight = Math.max(1, opts.maxInFlight ?? 2);
  }

  call(item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      // Nothing in flight and nothing gathering: nobody to wait for, go now.
      if (this.inFlight === 0 && !this.scheduled) this.flush();
      else this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.maxInFlight || this.queue.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.inFlight++;
      void this.run(batch).finally(() => {
        this.inFlight--;
        this.schedule();
      });
    }
  }

  private async run(batch: Array<Waiting<I, R>>): Promise<void> {
    try {
      const results = await this.send(batch.map((w) => w.item));
      if (results.length !== batch.length) throw new Error(`batch answered ${results.length} results for ${batch.length} items`);
      batch.forEach((w, i) => w.resolve(results[i]));
    } catch (e) {
      for (const w of batch) w.reject(e);
    }
  }
}
