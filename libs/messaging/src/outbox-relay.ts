import { Client } from 'pg';
import type { DataSource } from '@vpn/db';
import { eventSubject } from '@vpn/contracts';
import type { Logger } from '@vpn/runtime';
import { encodeJson } from './codec';
import { OUTBOX_CHANNEL, OUTBOX_PROCESS_CHANNEL } from './outbox';
import { OutboxRepository } from './outbox.repository';
import type { MessageTransport } from './transport';

export interface OutboxRelayOptions {
  /** Rows published per transaction. */
  batchSize?: number;
  /** Fallback poll: rows of another process whose relay is gone, or LISTEN is down. */
  pollIntervalMs?: number;
  /** Published rows older than this are deleted. */
  retainPublishedMs?: number;
  /** Connection string for LISTEN; without it the relay only polls. */
  listenUrl?: string;
  /** ms a notification waits for more commits before a drain (default 10). */
  debounceMs?: number;
}

/**
 * Publishes committed outbox rows to the event stream with `Nats-Msg-Id` = row id, then marks
 * them published. Rows are claimed with SKIP LOCKED, so any number of relays may run; a crash
 * between publish and mark re-publishes, and the stream drops the duplicate.
 */
export class OutboxRelay {
  private listener: Client | null = null;
  private timer: NodeJS.Timeout | null = null;
  private dueAt = 0;
  private running = false;
  private wake = false;
  private draining: Promise<void> | null = null;
  private lastCleanup = 0;
  private published = 0;

  constructor(
    private readonly ds: DataSource,
    private readonly transport: MessageTransport,
    private readonly logger: Logger,
    private readonly opts: OutboxRelayOptions = {},
  ) {}

  get publishedCount(): number {
    return this.published;
  }

  async start(): Promise<void> {
    this.running = true;
    if (this.opts.listenUrl) await this.listen(this.opts.listenUrl);
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    await this.draining;
    if (this.listener) {
      const l = this.listener;
      this.listener = null;
      await l.end().catch(() => undefined);
    }
  }

  /** Publishes until the outbox is empty; returns how many events went out. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.publishBatch();
      total += n;
      if (n < (this.opts.batchSize ?? 500)) return total;
    }
  }

  private async listen(url: string): Promise<void> {
    const client = new Client({ connectionString: url, application_name: 'outbox-relay' });
    // Commits of this process (its own channel) or of anyone (the shared one); other processes'
    // relays drain their own.
    client.on('notification', () => this.kick());
    client.on('error', (err) => {
      this.logger.warn({ err: err.message }, 'outbox LISTEN connection lost; polling');
      if (this.listener === client) this.listener = null;
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${OUTBOX_CHANNEL}; LISTEN ${OUTBOX_PROCESS_CHANNEL}`);
      this.listener = client;
    } catch (e) {
      this.logger.warn({ err: (e as Error).message }, 'outbox LISTEN unavailable; polling');
      await client.end().catch(() => undefined);
    }
  }

  /**
   * A commit with events happened somewhere. Waking is debounced: under load one drain publishes
   * the events of many commits (and the several relays of a deployment don't all run per commit).
   */
  private kick(): void {
    if (!this.running) return;
    if (this.draining) {
      this.wake = true;
      return;
    }
    const debounce = this.opts.debounceMs ?? 10;
    if (this.timer && this.dueAt <= Date.now() + debounce) return;
    this.schedule(debounce);
  }

  private schedule(ms: number): void {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.dueAt = Date.now() + ms;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.tick();
    }, ms);
  }

  private tick(): void {
    if (!this.running || this.draining) return;
    this.draining = (async () => {
      let failed = false;
      this.wake = false;
      try {
        await this.drain();
        await this.cleanup();
      } catch (e) {
        failed = true;
        this.logger.warn({ err: (e as Error).message }, 'outbox relay failed; will retry');
      } finally {
        this.draining = null;
        this.schedule(failed ? 1_000 : this.wake ? (this.opts.debounceMs ?? 10) : (this.opts.pollIntervalMs ?? 1_000));
      }
    })();
  }

  private async publishBatch(): Promise<number> {
    const batchSize = this.opts.batchSize ?? 500;
    return this.ds.transaction(async (m) => {
      const outbox = new OutboxRepository(m);
      const rows = await outbox.claimUnpublished(batchSize);
      if (rows.length === 0) return 0;
      // Issued in order on one connection, so the stream keeps the outbox order.
      await Promise.all(rows.map((r) => this.transport.publishEvent(eventSubject(r.envelope.type), encodeJson(r.envelope), r.id)));
      await outbox.markPublished(rows.map((r) => r.id));
      this.published += rows.length;
      return rows.length;
    });
  }

  private async cleanup(): Promise<void> {
    const now = Date.now();
    if (now - this.lastCleanup < 60_000) return;
    this.lastCleanup = now;
    await new OutboxRepository(this.ds).deletePublishedBefore(this.opts.retainPublishedMs ?? 3_600_000);
  }
}
