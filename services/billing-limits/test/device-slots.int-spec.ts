import { randomUUID } from 'node:crypto';
import { BillingErrorCode, CommonErrorCode } from '@vpn/contracts';
import { billingLimitsService } from '../src';
import { startStack, type TestStack } from '../../../test/support/stack';

describe('billing-limits over the bus', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startStack({ services: [billingLimitsService], label: 'billing' });
  });

  afterAll(async () => {
    await stack.stop();
  });

  const outboxTypes = async (subject: string): Promise<string[]> =>
    (await stack.dataSource.query(`SELECT type FROM messaging.outbox WHERE envelope->>'subject' = $1 ORDER BY seq`, [subject]))
      .map((r: { type: string }) => r.type);

  it('puts a new user on the default plan "Free" with 3 devices and none used', async () => {
    const account = await stack.commands.request('limits.account', { userId: randomUUID() });
    expect(account.plan).toMatchObject({ name: 'Free', maxDevices: 3 });
    expect(account.devicesUsed).toBe(0);
  });

  it('lets exactly the free slots win among 30 concurrent reservations', async () => {
    const userId = randomUUID();
    const results = await Promise.allSettled(
      Array.from({ length: 30 }, () => stack.commands.request('limits.reserve', { userId, reservationId: randomUUID() })),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(3);
    expect(lost).toHaveLength(27);
    for (const l of lost) expect(l.reason).toMatchObject({ code: BillingErrorCode.PLAN_LIMIT_REACHED });
    expect((await stack.commands.request('limits.account', { userId })).devicesUsed).toBe(3);
    expect(await outboxTypes(userId)).toContain('limits.reached');
  });

  it('reserves in batches exactly as one by one: mixed users, concurrent batches, one limit per user', async () => {
    const users = [randomUUID(), randomUUID(), randomUUID()];
    // 4 batches at once, each asking 5 slots for every user in a shuffled order: 20 asks per user, 3 win.
    const batches = Array.from({ length: 4 }, () =>
      users.flatMap((userId) => Array.from({ length: 5 }, () => ({ userId, reservationId: randomUUID() }))).sort(() => Math.random() - 0.5));
    const replies = await Promise.all(batches.map((items) => stack.commands.request('limits.reserve-many', { items })));
    for (const userId of users) {
      const mine = replies.flatMap((r, b) => r.results.filter((_, i) => batches[b][i].userId === userId));
      expect(mine.filter((r) => !r.error)).toHaveLength(3);
      const lost = mine.filter((r) => r.error);
      expect(lost).toHaveLength(17);
      for (const l of lost) expect(l.error?.code).toBe(BillingErrorCode.PLAN_LIMIT_REACHED);
      expect((await stack.commands.request('limits.account', { userId })).devicesUsed).toBe(3);
      expect(await outboxTypes(userId)).toContain('limits.reached');
    }
    replies.forEach((r, b) => expect(r.results.map((x) => x.reservationId)).toEqual(batches[b].map((i) => i.reservationId)));
  });

  it('fails only the bad items of a batch, and commits a batch like single commits', async () => {
    const userId = randomUUID();
    const good = randomUUID();
    const reply = await stack.commands.request('limits.reserve-many', {
      items: [{ userId, reservationId: good }, { userId: "1' OR '1'='1", reservationId: randomUUID() }, { userId, reservationId: 'nope' }],
    });
    expect(reply.results.map((r) => r.error?.code ?? 'ok')).toEqual(['ok', CommonErrorCode.VALIDATION_FAILED, CommonErrorCode.VALIDATION_FAILED]);
    const swept = randomUUID(); // never reserved: the commit still counts the device (as limits.commit does)
    const committed = await stack.commands.request('limits.commit-many', {
      items: [{ reservationId: good, deviceId: good, userId }, { reservationId: swept, deviceId: swept, userId }, { reservationId: 'x', deviceId: good }],
    });
    expect(committed.results.map((r) => r.error?.code ?? 'ok')).toEqual(['ok', 'ok', CommonErrorCode.VALIDATION_FAILED]);
    expect((await stack.commands.request('limits.account', { userId })).devicesUsed).toBe(2);
    await expect(stack.commands.request('limits.reserve-many', { items: [] })).rejects.toMatchObject({ code: CommonErrorCode.VALIDATION_FAILED });
  });

  it('gives a retried reservation the slot it already has', async () => {
    const userId = randomUUID();
    const reservationId = randomUUID();
    await stack.commands.request('limits.reserve', { userId, reservationId });
    await stack.commands.request('limits.reserve', { userId, reservationId });
    expect((await stack.commands.request('limits.account', { userId })).devicesUsed).toBe(1);
  });

  it('frees a slot on release, and counts a committed device until it is released', async () => {
    const userId = randomUUID();
    const [a, b] = [randomUUID(), randomUUID()];
    const deviceId = randomUUID();
    await stack.commands.request('limits.reserve', { userId, reservationId: a });
    await stack.commands.request('limits.reserve', { userId, reservationId: b });
    await stack.commands.request('limits.commit', { reservationId: a, deviceId });
    await stack.commands.request('limits.release', { reservationId: b });
    expect((await stack.commands.request('limits.account', { userId })).devicesUsed).toBe(1);
    await stack.commands.request('limits.release', { deviceId });
    await stack.commands.request('limits.release', { deviceId }); // idempotent
    expect((await stack.commands.request('limits.account', { userId })).devicesUsed).toBe(0);
  });

  it('stops counting an expired reservation, and a late commit still counts the device', async () => {
    const userId = randomUUID();
    const reservationId = randomUUID();
    await stack.commands.request('limits.reserve', { userId, reservationId });
    await stack.dataSource.query(`UPDATE billing.device_slots SET expires_at = now() - interval '1 hour' WHERE id = $1`, [reservationId]);
    expect((await stack.commands.request('limits.account', { userId })).devicesUsed).toBe(0);
    await stack.dataSource.query(`DELETE FROM billing.device_slots WHERE id = $1`, [reservationId]); // swept
    await stack.commands.request('limits.commit', { reservationId, deviceId: randomUUID(), userId });
    expect((await stack.commands.request('limits.account', { userId })).devicesUsed).toBe(1);
  });

  it('rejects ids that are not UUIDs before touching the database', async () => {
    await expect(stack.commands.request('limits.reserve', { userId: "x' OR 1=1 --", reservationId: randomUUID() }))
      .rejects.toMatchObject({ code: CommonErrorCode.VALIDATION_FAILED });
  });

  it('creates and updates plans, refusing a duplicate name in any case', async () => {
    const plan = await stack.commands.request('limits.plans.create', { actorId: randomUUID(), name: 'Team', maxDevices: 25 });
    expect(plan).toMatchObject({ name: 'Team', maxDevices: 25 });
    await expect(stack.commands.request('limits.plans.create', { actorId: randomUUID(), name: 'team', maxDevices: 1 }))
      .rejects.toMatchObject({ code: BillingErrorCode.PLAN_NAME_TAKEN });
    const updated = await stack.commands.request('limits.plans.update', { actorId: randomUUID(), planId: plan.id, maxDevices: 30 });
    expect(updated).toEqual({ id: plan.id, name: 'Team', maxDevices: 30, dataLimitBytes: null, durationDays: null, resetStrategy: 'NO_RESET', startOnFirstConnect: false });
    await expect(stack.commands.request('limits.plans.update', { actorId: randomUUID(), planId: randomUUID(), name: 'X' }))
      .rejects.toMatchObject({ code: BillingErrorCode.PLAN_NOT_FOUND });
    const names = (await stack.commands.request('limits.plans.list', {})).map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['Free', 'Pro', 'Team']));
  });

  it('moves a user to another plan, raising the limit, and records plan.changed', async () => {
    const userId = randomUUID();
    const pro = (await stack.commands.request('limits.plans.list', {})).find((p) => p.name === 'Pro');
    await stack.commands.request('limits.assign-plan', { actorId: randomUUID(), userId, planId: pro!.id });
    const account = await stack.commands.request('limits.account', { userId });
    expect(account.plan).toMatchObject({ name: 'Pro', maxDevices: 10 });
    expect(await outboxTypes(userId)).toEqual(['plan.changed', 'subscription.started']);
    const stranger = randomUUID(); // no account yet: the default plan, nothing used
    const free = (await stack.commands.request('limits.plans.list', {})).find((p) => p.name === 'Free');
    expect(await stack.commands.request('limits.accounts', { userIds: [userId, stranger] }))
      .toEqual([{ userId, planId: pro!.id, devicesUsed: 0 }, { userId: stranger, planId: free!.id, devicesUsed: 0 }]);
  });
});
