import { SyncScheduler } from '../src/schedule/sync-scheduler';
import { startSyncWorld, type Replica, type SyncWorld } from './sync-world';

const INTERVAL_S = 2;

// Two sync replicas on one bus and one database share the schedule through vpn.sync_leases.
describe('two sync replicas over four servers', () => {
  let world: SyncWorld;
  let second: Replica;

  beforeAll(async () => {
    world = await startSyncWorld({ servers: 4, label: 'sync_replicas', intervalSeconds: INTERVAL_S });
    second = await world.startReplica();
    for (let i = 0; i < 4; i++) await world.register(i);
  }, 90_000);

  afterAll(async () => {
    await second?.stop();
    await world?.stop();
  });

  it('reconciles every server exactly once per interval, by one replica or the other', async () => {
    await new Promise((r) => setTimeout(r, INTERVAL_S * 4_500));
    const runs = () => world.syncApp().get(SyncScheduler).completedRuns + second.app.get(SyncScheduler).completedRuns;
    const runsBefore = runs();
    const rows: Array<{ server_id: string; at: Date }> = await world.stack.dataSource.query(`
      SELECT envelope->'data'->>'serverId' AS server_id, created_at AS at FROM messaging.outbox
      WHERE type = 'sync.completed' ORDER BY created_at`);
    const byServer = new Map<string, number[]>();
    for (const r of rows) byServer.set(r.server_id, [...(byServer.get(r.server_id) ?? []), new Date(r.at).getTime()]);
    expect(byServer.size).toBe(4);
    for (const [, times] of byServer) {
      expect(times.length).toBeGreaterThanOrEqual(3);
      for (let i = 1; i < times.length; i++) {
        const gap = times[i] - times[i - 1];
        // Never twice in one interval; never skipping one (interval + 10% jitter + a tick + run time).
        expect(gap).toBeGreaterThanOrEqual(INTERVAL_S * 1000 - 250);
        expect(gap).toBeLessThanOrEqual(INTERVAL_S * 1100 + 200 + 1_500);
      }
    }
    // Every completed run is one event: the count lies between the runs finished before and after the read.
    expect(rows.length).toBeGreaterThanOrEqual(runsBefore);
    expect(rows.length).toBeLessThanOrEqual(runs());
    // Which replica wins a server's lease is a race: the split is not asserted, exactly-once is.
    const first = world.syncApp().get(SyncScheduler).completedRuns;
    const other = second.app.get(SyncScheduler).completedRuns;
    expect(first + other).toBeGreaterThanOrEqual(rows.length);
  }, 30_000);
});
