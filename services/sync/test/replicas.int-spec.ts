import type { EventEnvelope } from '@vpn/contracts';
import { eventSubject } from '@vpn/contracts';
import { decodeJson, type Subscription } from '@vpn/messaging';
import { startSyncWorld, type Replica, type SyncWorld } from './sync-world';

const INTERVAL_S = 2;
const RUNS_PER_SERVER = 3;

/** The `sync.completed` events as they arrive on the bus, and a wait for a condition on them. */
class CompletedRuns {
  readonly byServer = new Map<string, number[]>();
  readonly ids = new Set<string>();
  private waiters: Array<() => void> = [];

  record(envelope: EventEnvelope<'sync.completed'>): void {
    this.ids.add(envelope.id);
    const serverId = envelope.data.serverId;
    this.byServer.set(serverId, [...(this.byServer.get(serverId) ?? []), Date.parse(envelope.occurredAt)]);
    for (const wake of this.waiters.splice(0)) wake();
  }

  async until(done: () => boolean, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`not reached in ${timeoutMs} ms: ${JSON.stringify([...this.byServer].map(([s, t]) => [s, t.length]))}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 500);
      });
    }
  }
}

// Two sync replicas on one bus and one database share the schedule through vpn.sync_leases.
describe('two sync replicas over four servers', () => {
  let world: SyncWorld;
  let second: Replica;
  let subscription: Subscription;
  const runs = new CompletedRuns();

  beforeAll(async () => {
    world = await startSyncWorld({ servers: 4, label: 'sync_replicas', intervalSeconds: INTERVAL_S });
    const transport = await world.stack.bus.connect('replicas-observer');
    subscription = await transport.consume(
      { durable: 'replicas-observer', filterSubject: eventSubject('sync.completed'), maxDeliver: 1, ackWaitMs: 30_000, maxAckPending: 1_000 },
      async (msg) => {
        runs.record(decodeJson<EventEnvelope<'sync.completed'>>(msg.data));
        msg.ack();
      },
    );
    second = await world.startReplica();
    for (let i = 0; i < 4; i++) await world.register(i);
  }, 90_000);

  afterAll(async () => {
    await subscription?.unsubscribe();
    await second?.stop();
    await world?.stop();
  });

  it('reconciles every server exactly once per interval, by one replica or the other', async () => {
    const allRan = () => runs.byServer.size === 4 && [...runs.byServer.values()].every((t) => t.length >= RUNS_PER_SERVER);
    await runs.until(allRan, INTERVAL_S * 1_000 * (RUNS_PER_SERVER + 3));
    for (const [, times] of runs.byServer) {
      for (let i = 1; i < times.length; i++) {
        const gap = times[i] - times[i - 1];
        // Never twice in one interval; never skipping one (interval + 10% jitter + a tick + run time).
        expect(gap).toBeGreaterThanOrEqual(INTERVAL_S * 1000 - 250);
        expect(gap).toBeLessThanOrEqual(INTERVAL_S * 1100 + 200 + 1_500);
      }
    }
    // Every run is one event: no envelope delivered twice, so no run was counted by both replicas.
    const delivered = [...runs.byServer.values()].reduce((n, t) => n + t.length, 0);
    expect(runs.ids.size).toBe(delivered);
  }, 30_000);
});
