import { activateOnHandshake, addUsage, evaluate, renew, resetUsage, setAccountDisabled, statusOf, topUp, type Subscription } from './subscription-rules';

const DAY_MS = 86_400_000;
const now = new Date('2026-03-15T12:00:00Z');
const sub = (over: Partial<Subscription> = {}): Subscription => ({
  userId: '00000000-0000-4000-8000-000000000001', planId: '00000000-0000-4000-8000-000000000002', status: 'ACTIVE',
  onHold: false, accountDisabled: false, subscribedAt: new Date('2026-01-31T08:00:00Z'), startedAt: new Date('2026-01-31T08:00:00Z'),
  expiresAt: null, durationDays: null, dataLimitBytes: null, usedBytes: 0, lifetimeUsedBytes: 0, resetStrategy: 'NO_RESET',
  lastResetAt: null, nextResetAt: null, ...over,
});

describe(statusOf.name, () => {
  it('puts DISABLED over EXPIRED over LIMITED over ON_HOLD over ACTIVE', () => {
    const all = { accountDisabled: true, expiresAt: now, dataLimitBytes: 10, usedBytes: 10, onHold: true };
    expect(statusOf(sub(all), now)).toBe('DISABLED');
    expect(statusOf(sub({ ...all, accountDisabled: false }), now)).toBe('EXPIRED');
    expect(statusOf(sub({ ...all, accountDisabled: false, expiresAt: new Date(now.getTime() + 1) }), now)).toBe('LIMITED');
    expect(statusOf(sub({ onHold: true, dataLimitBytes: 10, usedBytes: 9 }), now)).toBe('ON_HOLD');
    expect(statusOf(sub({ dataLimitBytes: 0 }), now)).toBe('LIMITED');
    expect(statusOf(sub(), now)).toBe('ACTIVE');
  });
});

describe('subscription changes', () => {
  it('emits one transition event after the action event, each with status and previousStatus', () => {
    const o = topUp(sub({ status: 'LIMITED', dataLimitBytes: 10, usedBytes: 10 }), 5, now);
    expect(o.next).toMatchObject({ status: 'ACTIVE', dataLimitBytes: 15 });
    expect(o.events.map((e) => [e.type, e.data])).toEqual([
      ['subscription.topped_up', expect.objectContaining({ status: 'ACTIVE', previousStatus: 'LIMITED', bytes: 5 })],
      ['subscription.activated', expect.objectContaining({ status: 'ACTIVE', previousStatus: 'LIMITED' })],
    ]);
  });

  it('renews from expiresAt ahead, from now after it; keeps no expiry; adds to the pending duration while ON_HOLD', () => {
    expect(renew(sub({ expiresAt: new Date(now.getTime() + DAY_MS) }), 2, now).next.expiresAt).toEqual(new Date(now.getTime() + 3 * DAY_MS));
    expect(renew(sub({ status: 'EXPIRED', expiresAt: new Date(now.getTime() - DAY_MS) }), 2, now).next).toMatchObject({ status: 'ACTIVE', expiresAt: new Date(now.getTime() + 2 * DAY_MS) });
    expect(renew(sub(), 2, now).next.expiresAt).toBeNull();
    expect(renew(sub({ onHold: true, startedAt: null, durationDays: 30, status: 'ON_HOLD' }), 5, now).next).toMatchObject({ durationDays: 35, expiresAt: null });
  });

  it('resets at the scheduled boundary, never moving expiresAt, keeping lifetime usage, and catches up to now after a long pause', () => {
    const expiresAt = new Date('2026-06-01T00:00:00Z');
    const due = sub({ resetStrategy: 'MONTH_ROLLING', nextResetAt: new Date('2026-02-28T00:00:00Z'), usedBytes: 70, lifetimeUsedBytes: 90, dataLimitBytes: 50, status: 'LIMITED', expiresAt });
    const o = evaluate(due, now);
    expect(o.next).toMatchObject({ status: 'ACTIVE', usedBytes: 0, lifetimeUsedBytes: 90, expiresAt, lastResetAt: new Date('2026-02-28T00:00:00Z'), nextResetAt: new Date('2026-03-31T00:00:00Z') });
    expect(o.closed).toEqual({ userId: due.userId, periodStart: due.startedAt, periodEnd: new Date('2026-02-28T00:00:00Z'), usedBytes: 70, reason: 'scheduled' });
    expect(evaluate(o.next, now).changed).toBe(false);
    expect(resetUsage(sub({ usedBytes: 5, nextResetAt: null }), now, false).next).toMatchObject({ usedBytes: 0, lastResetAt: now, nextResetAt: null });
  });

  it('starts an ON_HOLD subscription only from a handshake newer than it, at the handshake (never in the future)', () => {
    const held = sub({ status: 'ON_HOLD', onHold: true, startedAt: null, durationDays: 10, subscribedAt: new Date(now.getTime() - 1000) });
    expect(activateOnHandshake(held, new Date(now.getTime() - 2000), now)).toBeNull();
    const at = new Date(now.getTime() - 500);
    expect(activateOnHandshake(held, at, now)?.next).toMatchObject({ status: 'ACTIVE', startedAt: at, expiresAt: new Date(at.getTime() + 10 * DAY_MS) });
    expect(activateOnHandshake(held, new Date(now.getTime() + 60_000), now)?.next.startedAt).toEqual(now);
    expect(activateOnHandshake(sub(), at, now)).toBeNull();
  });

  it('counts usage into the period and the lifetime, and changes nothing when nothing changes', () => {
    expect(addUsage(sub({ usedBytes: 1, lifetimeUsedBytes: 5 }), 2, 3, now).next).toMatchObject({ usedBytes: 3, lifetimeUsedBytes: 8 });
    expect(setAccountDisabled(sub(), false, now)).toMatchObject({ changed: false, events: [] });
    expect(setAccountDisabled(sub(), true, now).events.map((e) => e.type)).toEqual(['subscription.disabled']);
  });
});
