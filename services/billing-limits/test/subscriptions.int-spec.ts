import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { BillingErrorCode, CommonErrorCode, type PlanTerms, type PlanView } from '@vpn/contracts';
import { openDatabase, type DataSource } from '@vpn/db';
import { appendEvent } from '@vpn/messaging';
import type { RunningService, ServiceContext } from '@vpn/platform';
import { createLogger } from '@vpn/runtime';
import { billingLimitsService } from '../src';
import { SubscriptionsService } from '../src/subscriptions/subscriptions.service';
import { startStack, type TestStack } from '../../../test/support/stack';

const DAY_MS = 86_400_000;
const GB = 1_000_000_000;

/** A billing-limits replica of its own: own bus connection and own pool, as another process would have. */
interface Replica { running: RunningService & { app: INestApplication }; pool: DataSource; tick(now: Date): Promise<number>; stop(): Promise<void> }

describe('subscriptions over the bus', () => {
  let stack: TestStack;
  let replicas: Replica[] = [];

  async function startReplica(): Promise<Replica> {
    const pool = await openDatabase({ url: stack.db.url, poolSize: 4 });
    const transport = await stack.bus.connect('billing-limits');
    const ctx: ServiceContext = {
      name: 'billing-limits', config: stack.config, logger: createLogger({ level: 'silent', name: 'replica' }), dataSource: pool, databaseUrl: stack.db.url,
      transport, bus: stack.bus.endpoints(transport), commands: await stack.bus.commandBus('billing-limits', transport),
    };
    const running = (await billingLimitsService.start(ctx)) as Replica['running'];
    const replica: Replica = {
      running, pool,
      tick: (now) => running.app.get(SubscriptionsService).tick(now),
      stop: async () => {
        await running.stop();
        await pool.destroy();
        replicas = replicas.filter((r) => r !== replica);
      },
    };
    replicas.push(replica);
    return replica;
  }

  beforeAll(async () => {
    stack = await startStack({ services: [billingLimitsService], label: 'subscriptions' });
  });

  afterAll(async () => {
    for (const r of [...replicas]) await r.stop();
    await stack.stop();
  });

  const actorId = randomUUID();
  const subscription = async (userId: string) => (await stack.commands.request('limits.account', { userId })).subscription;
  const events = async (userId: string): Promise<Array<{ type: string; data: Record<string, unknown> }>> =>
    stack.dataSource.query(`SELECT type, envelope->'data' AS data FROM messaging.outbox WHERE envelope->>'subject' = $1 ORDER BY seq`, [userId]);
  const types = async (userId: string) => (await events(userId)).map((e) => e.type);
  const history = async (userId: string): Promise<Array<{ used_bytes: string; reason: string; period_end: Date }>> =>
    stack.dataSource.query(`SELECT used_bytes, reason, period_end FROM billing.usage_periods WHERE user_id = $1 ORDER BY period_end`, [userId]);
  const plan = (terms: Partial<PlanTerms>, maxDevices = 3): Promise<PlanView> =>
    stack.commands.request('limits.plans.create', { actorId, name: `p-${randomUUID().slice(0, 8)}`, maxDevices, ...terms });
  /** A user on a fresh plan with these terms. */
  async function subscriber(terms: Partial<PlanTerms>, maxDevices = 3): Promise<{ userId: string; planId: string }> {
    const userId = randomUUID();
    const { id } = await plan(terms, maxDevices);
    await stack.commands.request('limits.assign-plan', { actorId, userId, planId: id });
    return { userId, planId: id };
  }
  const use = (userId: string, bytes: number, batchId = randomUUID(), at = new Date()) =>
    stack.commands.request('limits.usage.record', { batchId, samples: [{ userId, rxBytesDelta: Math.floor(bytes / 2), txBytesDelta: bytes - Math.floor(bytes / 2), at: at.toISOString() }] });
  const reserve = (userId: string) => stack.commands.request('limits.reserve', { userId, reservationId: randomUUID() });
  const near = (iso: string | null, expected: number, toleranceMs = 10_000) => {
    expect(iso).not.toBeNull();
    expect(Math.abs(new Date(iso!).getTime() - expected)).toBeLessThan(toleranceMs);
  };

  it('stores and validates the subscription terms of a plan; the seeded plans are unlimited', async () => {
    const created = await plan({ dataLimitBytes: 5 * GB, durationDays: 30, resetStrategy: 'MONTH', startOnFirstConnect: true });
    expect(created).toMatchObject({ dataLimitBytes: 5 * GB, durationDays: 30, resetStrategy: 'MONTH', startOnFirstConnect: true });
    const updated = await stack.commands.request('limits.plans.update', { actorId, planId: created.id, dataLimitBytes: null, resetStrategy: 'MONTH_ROLLING' });
    expect(updated).toMatchObject({ dataLimitBytes: null, durationDays: 30, resetStrategy: 'MONTH_ROLLING', startOnFirstConnect: true });
    expect((await stack.commands.request('limits.plans.list', {})).find((p) => p.id === created.id)).toEqual(updated);
    for (const bad of [{ resetStrategy: 'HOURLY' }, { dataLimitBytes: -1 }, { dataLimitBytes: 1.5 }, { durationDays: 0 }, { startOnFirstConnect: 'yes' }]) {
      await expect(stack.commands.request('limits.plans.create', { actorId, name: `bad-${randomUUID().slice(0, 6)}`, maxDevices: 1, ...(bad as object) }))
        .rejects.toMatchObject({ code: CommonErrorCode.VALIDATION_FAILED, message: expect.stringMatching(Object.keys(bad)[0]) });
    }
    const free = (await stack.commands.request('limits.plans.list', {})).find((p) => p.name === 'Free');
    expect(free).toMatchObject({ dataLimitBytes: null, durationDays: null, resetStrategy: 'NO_RESET', startOnFirstConnect: false });
    expect(await subscription(randomUUID())).toMatchObject({ status: 'ACTIVE', expiresAt: null, dataLimitBytes: null, usedBytes: 0, nextResetAt: null });
  });

  it('starts a subscription on the plan\'s terms when a plan is assigned, ON_HOLD when it starts on first connect', async () => {
    const { userId, planId } = await subscriber({ durationDays: 30, dataLimitBytes: GB, resetStrategy: 'MONTH' });
    const s = await subscription(userId);
    expect(s).toMatchObject({ status: 'ACTIVE', planId, dataLimitBytes: GB, usedBytes: 0, lastResetAt: null });
    near(s.startedAt, Date.now());
    near(s.expiresAt, Date.now() + 30 * DAY_MS);
    const now = new Date();
    expect(s.nextResetAt).toBe(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString());
    expect(await types(userId)).toEqual(['plan.changed', 'subscription.started']);

    const held = await subscriber({ durationDays: 7, startOnFirstConnect: true });
    expect(await subscription(held.userId)).toMatchObject({ status: 'ON_HOLD', startedAt: null, expiresAt: null });
    expect(await types(held.userId)).toEqual(['plan.changed', 'subscription.started', 'subscription.on_hold']);
    await expect(reserve(held.userId)).resolves.toBeDefined(); // ON_HOLD may make devices
  });

  it('counts a usage batch once, turns LIMITED at the limit and then refuses new devices', async () => {
    const { userId } = await subscriber({ dataLimitBytes: 1000 });
    const batchId = randomUUID();
    expect(await use(userId, 600, batchId)).toEqual({ applied: true });
    expect(await use(userId, 600, batchId)).toEqual({ applied: false }); // redelivered: nothing counted twice
    expect(await subscription(userId)).toMatchObject({ status: 'ACTIVE', usedBytes: 600, lifetimeUsedBytes: 600 });
    await reserve(userId);
    await use(userId, 400);
    expect(await subscription(userId)).toMatchObject({ status: 'LIMITED', usedBytes: 1000, lifetimeUsedBytes: 1000 });
    const limited = (await events(userId)).find((e) => e.type === 'subscription.limited');
    expect(limited?.data).toMatchObject({ userId, status: 'LIMITED', previousStatus: 'ACTIVE', usedBytes: 1000, dataLimitBytes: 1000 });
    await expect(reserve(userId)).rejects.toMatchObject({ code: BillingErrorCode.SUBSCRIPTION_INACTIVE });
    const batch = await stack.commands.request('limits.reserve-many', { items: [{ userId, reservationId: randomUUID() }] });
    expect(batch.results[0].error?.code).toBe(BillingErrorCode.SUBSCRIPTION_INACTIVE);
    expect((await stack.commands.request('limits.account', { userId })).devicesUsed).toBe(1);
  });

  it('sums a batch of many users in one go and refuses a malformed batch whole', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const at = new Date().toISOString();
    await stack.commands.request('limits.usage.record', {
      batchId: randomUUID(),
      samples: [{ userId: a, rxBytesDelta: 10, txBytesDelta: 5, at }, { userId: b, rxBytesDelta: 1, txBytesDelta: 0, at }, { userId: a, rxBytesDelta: 0, txBytesDelta: 100, at }],
    });
    expect((await subscription(a)).usedBytes).toBe(115);
    expect((await subscription(b)).usedBytes).toBe(1);
    await expect(stack.commands.request('limits.usage.record', { batchId: randomUUID(), samples: [{ userId: a, rxBytesDelta: -1, txBytesDelta: 0, at }] }))
      .rejects.toMatchObject({ code: CommonErrorCode.VALIDATION_FAILED });
    await expect(stack.commands.request('limits.usage.record', { batchId: 'run-1', samples: [] })).rejects.toMatchObject({ code: CommonErrorCode.VALIDATION_FAILED });
    expect((await subscription(a)).usedBytes).toBe(115);
  });

  it('brings a LIMITED subscription back by a top-up, and by a reset that keeps lifetime usage and history', async () => {
    const { userId } = await subscriber({ dataLimitBytes: 1000, durationDays: 10 });
    await use(userId, 1500);
    const topped = await stack.commands.request('limits.subscription.top-up', { actorId, userId, bytes: 1000 });
    expect(topped).toMatchObject({ status: 'ACTIVE', dataLimitBytes: 2000, usedBytes: 1500 });
    await use(userId, 600);
    expect((await subscription(userId)).status).toBe('LIMITED');
    const before = await subscription(userId);
    const reset = await stack.commands.request('limits.subscription.reset-usage', { actorId, userId });
    expect(reset).toMatchObject({ status: 'ACTIVE', usedBytes: 0, lifetimeUsedBytes: 2100, expiresAt: before.expiresAt });
    near(reset.lastResetAt, Date.now());
    expect((await history(userId)).map((h) => [Number(h.used_bytes), h.reason])).toEqual([[2100, 'admin']]);
    await use(userId, 70, randomUUID(), new Date(new Date(reset.lastResetAt!).getTime() - 1000)); // read before the reset: lifetime only
    expect(await subscription(userId)).toMatchObject({ usedBytes: 0, lifetimeUsedBytes: 2170 });
    expect(await types(userId)).toEqual([
      'plan.changed', 'subscription.started', 'subscription.limited', 'subscription.topped_up', 'subscription.activated',
      'subscription.limited', 'subscription.reset', 'subscription.activated',
    ]);
    await expect(stack.commands.request('limits.subscription.top-up', { actorId, userId, bytes: 0 })).rejects.toMatchObject({ code: CommonErrorCode.VALIDATION_FAILED });
  });

  it('expires (EXPIRED wins over LIMITED) and renews from expiresAt before expiry, from now after it', async () => {
    const { userId } = await subscriber({ dataLimitBytes: 100, durationDays: 30 });
    const s0 = await subscription(userId);
    const renewed = await stack.commands.request('limits.subscription.renew', { actorId, userId, days: 10 });
    expect(new Date(renewed.expiresAt!).getTime() - new Date(s0.expiresAt!).getTime()).toBe(10 * DAY_MS);
    await use(userId, 100);
    const past = new Date(Date.now() - 1000).toISOString();
    const expired = await stack.commands.request('limits.subscription.update', { actorId, userId, expiresAt: past });
    expect(expired).toMatchObject({ status: 'EXPIRED', expiresAt: past });
    await expect(reserve(userId)).rejects.toMatchObject({ code: BillingErrorCode.SUBSCRIPTION_INACTIVE });
    const back = await stack.commands.request('limits.subscription.renew', { actorId, userId, days: 3 });
    near(back.expiresAt, Date.now() + 3 * DAY_MS);
    expect(back.status).toBe('LIMITED'); // no longer expired, still over its limit
    const unlimited = await stack.commands.request('limits.subscription.update', { actorId, userId, dataLimitBytes: null });
    expect(unlimited.status).toBe('ACTIVE');
    await reserve(userId);
    const ev = await events(userId);
    expect(ev.find((e) => e.type === 'subscription.expired')?.data).toMatchObject({ status: 'EXPIRED', previousStatus: 'LIMITED' });
    expect(ev.filter((e) => e.type === 'subscription.renewed').map((e) => e.data.days)).toEqual([10, 3]);
    await expect(stack.commands.request('limits.subscription.renew', { actorId, userId, days: 3651 })).rejects.toMatchObject({ code: CommonErrorCode.VALIDATION_FAILED });
    await expect(stack.commands.request('limits.subscription.update', { actorId, userId, expiresAt: 'tomorrow' })).rejects.toMatchObject({ code: CommonErrorCode.VALIDATION_FAILED });
  });

  it('starts an ON_HOLD subscription at the first handshake newer than it, once, from the handshake time', async () => {
    const { userId } = await subscriber({ durationDays: 30, startOnFirstConnect: true, resetStrategy: 'DAY' });
    const old = new Date(Date.now() - 60_000).toISOString(); // a handshake from before the subscription
    expect(await stack.commands.request('limits.activate-on-handshake', { userId, handshakeAt: old })).toEqual({ activated: false });
    await new Promise((r) => setTimeout(r, 30));
    const handshakeAt = new Date(Date.now() - 10).toISOString(); // noticed a little after it happened
    expect(await stack.commands.request('limits.activate-on-handshake', { userId, handshakeAt })).toEqual({ activated: true });
    const s = await subscription(userId);
    expect(s).toMatchObject({ status: 'ACTIVE', startedAt: handshakeAt, expiresAt: new Date(new Date(handshakeAt).getTime() + 30 * DAY_MS).toISOString() });
    expect(s.nextResetAt).not.toBeNull();
    expect(await stack.commands.request('limits.activate-on-handshake', { userId, handshakeAt: new Date().toISOString() })).toEqual({ activated: false });
    expect((await subscription(userId)).startedAt).toBe(handshakeAt);
    expect((await types(userId)).filter((t) => t === 'subscription.activated')).toHaveLength(1);
  });

  it('makes a disabled account DISABLED whatever else holds, from auth\'s user.updated event, and back on enabling', async () => {
    const { userId } = await subscriber({ dataLimitBytes: 10 });
    await use(userId, 10);
    await stack.dataSource.transaction((m) => appendEvent(m, 'user.updated', { userId, changes: { disabled: true } }, { actorId, subject: userId }));
    await waitFor(async () => (await subscription(userId)).status === 'DISABLED');
    await expect(reserve(userId)).rejects.toMatchObject({ code: BillingErrorCode.SUBSCRIPTION_INACTIVE });
    await stack.commands.request('limits.subscription.top-up', { actorId, userId, bytes: 100 });
    expect((await subscription(userId)).status).toBe('DISABLED');
    await stack.dataSource.transaction((m) => appendEvent(m, 'user.updated', { userId, changes: { disabled: false } }, { actorId, subject: userId }));
    await waitFor(async () => (await subscription(userId)).status === 'ACTIVE');
    const t = await types(userId);
    expect(t.filter((x) => x === 'subscription.disabled')).toHaveLength(1);
    expect(t.slice(-2)).toEqual(['user.updated', 'subscription.activated']);
  });

  it('expires due subscriptions on the tick and schedules the resets it has not made yet', async () => {
    const replica = await startReplica();
    const { userId } = await subscriber({ durationDays: 1 });
    const defaulted = randomUUID(); // an account opened on a default plan with a reset: scheduled by the tick
    await stack.commands.request('limits.account', { userId: defaulted });
    await stack.dataSource.query(`UPDATE billing.subscriptions SET reset_strategy = 'WEEK' WHERE user_id = $1`, [defaulted]);
    const later = new Date(Date.now() + 2 * DAY_MS);
    await replica.tick(later);
    const s = await stack.dataSource.query(`SELECT status, next_reset_at FROM billing.subscriptions WHERE user_id = ANY($1) ORDER BY user_id = $2 DESC`, [[userId, defaulted], userId]);
    expect(s[0].status).toBe('EXPIRED');
    expect(s[1].next_reset_at).not.toBeNull();
    expect((await events(userId)).find((e) => e.type === 'subscription.expired')?.data).toMatchObject({ status: 'EXPIRED', previousStatus: 'ACTIVE' });
    expect(await replica.tick(later)).toBe(0); // nothing is due twice
    await replica.stop();
  });

  it('closes each scheduled period exactly once across two replicas and a restart', async () => {
    const users = await Promise.all(Array.from({ length: 40 }, () => subscriber({ resetStrategy: 'DAY', dataLimitBytes: 100 })));
    for (const { userId } of users) await use(userId, 150);
    const [r1, r2] = [await startReplica(), await startReplica()];
    const first = new Date((await subscription(users[0].userId)).nextResetAt!);
    const at = new Date(first.getTime() + 60_000);
    const counts = await Promise.all([r1.tick(at), r2.tick(at), r1.tick(at), r2.tick(at)]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(40);
    await r1.stop();
    const restarted = await startReplica();
    expect(await restarted.tick(at)).toBe(0);
    for (const { userId } of users) {
      const s = await subscription(userId);
      expect(s).toMatchObject({ status: 'ACTIVE', usedBytes: 0, lifetimeUsedBytes: 150, lastResetAt: first.toISOString() });
      expect(s.nextResetAt).toBe(new Date(first.getTime() + DAY_MS).toISOString());
      expect((await history(userId)).map((h) => [Number(h.used_bytes), h.reason, h.period_end.toISOString()])).toEqual([[150, 'scheduled', first.toISOString()]]);
      expect((await types(userId)).filter((t) => t === 'subscription.reset')).toHaveLength(1);
    }
    // The next period closes once as well.
    const next = new Date(first.getTime() + DAY_MS + 60_000);
    expect((await Promise.all([r2.tick(next), restarted.tick(next)])).reduce((a, b) => a + b, 0)).toBe(40);
    expect(await history(users[0].userId)).toHaveLength(2);
    await r2.stop();
    await restarted.stop();
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}
