import type { INestApplication } from '@nestjs/common';
import { SubscriptionsService } from '../services/billing-limits/src/subscriptions/subscriptions.service';
import { billingLimitsService } from '../test/support/services';
import { startStack } from '../test/support/stack';

interface BenchRow { name: string; value: number; unit: string; goal?: string; notes?: string }

const SUBSCRIPTIONS = 10_000;
const ROUNDS = 5;
const DAY_MS = 86_400_000;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * The subscription tick over 10,000 subscriptions, all due at once (the worst case: half a daily
 * reset of a LIMITED subscription, half an expiry), and over the same 10,000 with nothing due (every
 * 30 s in the steady state). CPU is this process's (user + system) during the tick: locking and
 * reading the rows, the pure rules, writing states, history and events; the outbox relay is stopped
 * so publishing the events (the messaging bench's subject) is not counted.
 */
export default async function bench(): Promise<BenchRow[]> {
  const stack = await startStack({ services: [billingLimitsService], label: 'bench_subscriptions' });
  try {
    await stack.relay.stop();
    const app = (stack.running.get('billing-limits') as unknown as { app: INestApplication }).app;
    const subscriptions = app.get(SubscriptionsService);
    const ds = stack.dataSource;
    const at = new Date(Date.now() + 2 * DAY_MS);
    // Due at `at`, not now: the service's own 30 s tick leaves them alone.
    const boundary = new Date(Date.now() + DAY_MS);
    await ds.query(`
      WITH ids AS (SELECT gen_random_uuid() AS id, n FROM generate_series(1, $1) AS n),
      a AS (INSERT INTO billing.accounts (user_id, plan_id) SELECT id, (SELECT id FROM billing.plans ORDER BY created_at LIMIT 1) FROM ids RETURNING user_id)
      INSERT INTO billing.subscriptions (user_id, status, started_at, reset_strategy, data_limit_bytes)
      SELECT a.user_id, 'ACTIVE', now() - interval '10 days', CASE WHEN ids.n % 2 = 0 THEN 'DAY' ELSE 'NO_RESET' END, 100
      FROM a JOIN ids ON ids.id = a.user_id`, [SUBSCRIPTIONS]);
    await ds.query('ANALYZE billing.subscriptions');
    const makeDue = () => ds.transaction(async (m) => {
      await m.query(`DELETE FROM billing.usage_periods`);
      await m.query(`UPDATE billing.subscriptions SET status = 'LIMITED', used_bytes = 150, lifetime_used_bytes = 150, last_reset_at = NULL, next_reset_at = $1 WHERE reset_strategy = 'DAY'`, [boundary]);
      await m.query(`UPDATE billing.subscriptions SET status = 'ACTIVE', expires_at = $1 WHERE reset_strategy = 'NO_RESET'`, [boundary]);
    });

    const measure = async (expectChanged: number) => {
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const changed = await subscriptions.tick(at);
      const wall = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      if (changed !== expectChanged) throw new Error(`tick changed ${changed}, expected ${expectChanged}`);
      return { cpuMs: (cpu.user + cpu.system) / 1000, wallMs: wall };
    };

    const due: Array<{ cpuMs: number; wallMs: number }> = [];
    const idle: Array<{ cpuMs: number; wallMs: number }> = [];
    for (let r = 0; r < ROUNDS; r++) {
      await makeDue();
      due.push(await measure(SUBSCRIPTIONS));
      idle.push(await measure(0));
    }
    const periods = Number((await ds.query(`SELECT count(*) AS n FROM billing.usage_periods`))[0].n);
    if (periods !== SUBSCRIPTIONS / 2) throw new Error(`expected ${SUBSCRIPTIONS / 2} closed periods, found ${periods}`);
    const note = `median of ${ROUNDS}; ${SUBSCRIPTIONS / 2} resets (LIMITED → ACTIVE, history row, 2 events each) + ${SUBSCRIPTIONS / 2} expiries (1 event each), batches of 1,000 per transaction`;
    return [
      { name: 'subscription tick, 10,000 due: CPU of the service', value: Math.round(median(due.map((d) => d.cpuMs))), unit: 'ms', goal: '≤ 200 ms', notes: note },
      { name: 'subscription tick, 10,000 due: wall time', value: Math.round(median(due.map((d) => d.wallMs))), unit: 'ms', notes: 'includes PostgreSQL\'s work (locks, updates, inserts) on the shared 2-core machine' },
      { name: 'subscription tick, 10,000 subscriptions, none due: CPU', value: Math.round(median(idle.map((d) => d.cpuMs)) * 10) / 10, unit: 'ms', notes: 'the steady state every 30 s: one indexed query' },
      { name: 'subscription tick, 10,000 subscriptions, none due: wall time', value: Math.round(median(idle.map((d) => d.wallMs)) * 10) / 10, unit: 'ms' },
    ];
  } finally {
    await stack.stop();
  }
}
