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
    expect(updated).toEqual({ id: plan.id, name: 'Team', maxDevices: 30 });
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
    expect(await outboxTypes(userId)).toEqual(['plan.changed']);
    const [row] = await stack.commands.request('limits.accounts', { userIds: [userId] });
    expect(row).toEqual({ userId, planId: pro!.id, devicesUsed: 0 });
  });
});
