import type { PendingEvent } from '@vpn/messaging';
import type { EventMap, PlanTerms, ResetStrategy, SubscriptionEventData, SubscriptionStatus, SubscriptionView } from '@vpn/contracts';
import { nextResetAfter } from './reset-calendar';

const DAY_MS = 86_400_000;

/** A subscription as the rules see it (the row of billing.subscriptions with the account's plan). */
export interface Subscription {
  userId: string;
  planId: string;
  status: SubscriptionStatus;
  onHold: boolean;
  accountDisabled: boolean;
  subscribedAt: Date;
  startedAt: Date | null;
  expiresAt: Date | null;
  durationDays: number | null;
  dataLimitBytes: number | null;
  usedBytes: number;
  lifetimeUsedBytes: number;
  resetStrategy: ResetStrategy;
  lastResetAt: Date | null;
  nextResetAt: Date | null;
}

/** A closed usage period, for the history. */
export interface ClosedPeriod {
  userId: string;
  periodStart: Date;
  periodEnd: Date;
  usedBytes: number;
  reason: 'scheduled' | 'admin' | 'plan';
}

/** The outcome of one change: the new state, the events to append with it, a closed period if any. */
export interface Outcome {
  next: Subscription;
  events: PendingEvent[];
  closed: ClosedPeriod | null;
  /** Whether anything is to be written. */
  changed: boolean;
}

type ActionType = 'subscription.started' | 'subscription.reset' | 'subscription.renewed' | 'subscription.topped_up' | 'subscription.changed';
type ActionExtra<T extends ActionType> = Omit<EventMap[T], keyof SubscriptionEventData>;
interface Action<T extends ActionType = ActionType> { type: T; extra: ActionExtra<T> }

/**
 * The status that holds: DISABLED whatever else holds, then EXPIRED (wins over LIMITED), LIMITED,
 * ON_HOLD (the clock has not started), ACTIVE.
 */
export function statusOf(s: Omit<Subscription, 'status'>, now: Date): SubscriptionStatus {
  if (s.accountDisabled) return 'DISABLED';
  if (s.expiresAt && now.getTime() >= s.expiresAt.getTime()) return 'EXPIRED';
  if (s.dataLimitBytes !== null && s.usedBytes >= s.dataLimitBytes) return 'LIMITED';
  return s.onHold ? 'ON_HOLD' : 'ACTIVE';
}

const TRANSITION_EVENT: Record<SubscriptionStatus, keyof EventMap> = {
  ACTIVE: 'subscription.activated', ON_HOLD: 'subscription.on_hold', LIMITED: 'subscription.limited',
  EXPIRED: 'subscription.expired', DISABLED: 'subscription.disabled',
};

function eventData(s: Subscription, previousStatus: SubscriptionStatus): SubscriptionEventData {
  return {
    userId: s.userId, status: s.status, previousStatus, planId: s.planId,
    expiresAt: s.expiresAt?.toISOString() ?? null, dataLimitBytes: s.dataLimitBytes, usedBytes: s.usedBytes,
  };
}

const FIELDS: ReadonlyArray<keyof Subscription> = [
  'planId', 'status', 'onHold', 'accountDisabled', 'subscribedAt', 'startedAt', 'expiresAt', 'durationDays', 'dataLimitBytes',
  'usedBytes', 'lifetimeUsedBytes', 'resetStrategy', 'lastResetAt', 'nextResetAt',
];

function sameValue(a: unknown, b: unknown): boolean {
  return a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : a === b;
}

/**
 * Applies a change (`next`: a new object, which gets its status here): the status is derived again,
 * and a changed status is one transition event after the action's own. The tick runs this for
 * thousands of subscriptions at once, hence the plain loops.
 */
function settle(prev: Subscription, next: Subscription, now: Date, action: Action | null, closed: ClosedPeriod | null = null): Outcome {
  next.status = statusOf(next, now);
  const events: PendingEvent[] = [];
  if (action) events.push({ type: action.type, data: Object.assign(eventData(next, prev.status), action.extra), subject: prev.userId } as PendingEvent);
  if (next.status !== prev.status) events.push({ type: TRANSITION_EVENT[next.status], data: eventData(next, prev.status), subject: prev.userId } as PendingEvent);
  let changed = action !== null || closed !== null;
  for (let i = 0; !changed && i < FIELDS.length; i++) changed = !sameValue(prev[FIELDS[i]], next[FIELDS[i]]);
  return { next, events, closed, changed };
}

const addDays = (t: Date, days: number) => new Date(t.getTime() + days * DAY_MS);

/** The period that a reset now closes began at the last reset, else at the start. */
function periodStart(s: Subscription): Date {
  return s.lastResetAt ?? s.startedAt ?? s.subscribedAt;
}

/**
 * A new plan starts a new subscription: its terms copied, the clock from now (or ON_HOLD until the
 * first handshake), usage of the period from zero; lifetime usage and the account's state stay.
 */
export function startPlan(prev: Subscription, planId: string, terms: PlanTerms, now: Date): Outcome {
  const onHold = terms.startOnFirstConnect;
  const closed: ClosedPeriod | null = prev.usedBytes > 0
    ? { userId: prev.userId, periodStart: periodStart(prev), periodEnd: now, usedBytes: prev.usedBytes, reason: 'plan' } : null;
  return settle(prev, {
    ...prev, planId, onHold, subscribedAt: now, startedAt: onHold ? null : now,
    expiresAt: onHold || terms.durationDays === null ? null : addDays(now, terms.durationDays),
    durationDays: terms.durationDays, dataLimitBytes: terms.dataLimitBytes, usedBytes: 0,
    resetStrategy: terms.resetStrategy, lastResetAt: null, nextResetAt: onHold ? null : nextResetAfter(terms.resetStrategy, now, now),
  }, now, { type: 'subscription.started', extra: {} }, closed);
}

/**
 * The first handshake newer than the subscription starts the clock of an ON_HOLD one, from the
 * handshake's time (never later than now). Anything else changes nothing.
 */
export function activateOnHandshake(prev: Subscription, handshakeAt: Date, now: Date): Outcome | null {
  if (!prev.onHold || handshakeAt.getTime() <= prev.subscribedAt.getTime()) return null;
  const startedAt = handshakeAt.getTime() > now.getTime() ? now : handshakeAt;
  return settle(prev, {
    ...prev, onHold: false, startedAt,
    expiresAt: prev.durationDays === null ? prev.expiresAt : addDays(startedAt, prev.durationDays),
    nextResetAt: nextResetAfter(prev.resetStrategy, startedAt, now),
  }, now, null);
}

/** Traffic: the period's share (samples taken after the last reset) and the lifetime total. */
export function addUsage(prev: Subscription, periodBytes: number, lifetimeBytes: number, now: Date): Outcome {
  return settle(prev, { ...prev, usedBytes: prev.usedBytes + periodBytes, lifetimeUsedBytes: prev.lifetimeUsedBytes + lifetimeBytes }, now, null);
}

/** usedBytes to 0 (lifetime kept, expiry never moved): at the scheduled boundary `at`, or now by an admin. */
export function resetUsage(prev: Subscription, now: Date, scheduled: boolean): Outcome {
  const at = scheduled && prev.nextResetAt ? prev.nextResetAt : now;
  const closed: ClosedPeriod = { userId: prev.userId, periodStart: periodStart(prev), periodEnd: at, usedBytes: prev.usedBytes, reason: scheduled ? 'scheduled' : 'admin' };
  const nextResetAt = scheduled ? nextResetAfter(prev.resetStrategy, prev.startedAt ?? at, now) : prev.nextResetAt;
  return settle(prev, { ...prev, usedBytes: 0, lastResetAt: at, nextResetAt }, now, {
    type: 'subscription.reset',
    extra: { periodStart: closed.periodStart.toISOString(), periodEnd: at.toISOString(), periodUsedBytes: prev.usedBytes, scheduled },
  }, closed);
}

/**
 * `days` more: from expiresAt while it is ahead, from now once it passed. A subscription without an
 * expiry keeps none; an ON_HOLD one gets the days added to the duration its clock will start with.
 */
export function renew(prev: Subscription, days: number, now: Date): Outcome {
  let { expiresAt, durationDays } = prev;
  if (prev.onHold) durationDays = durationDays === null ? null : durationDays + days;
  else if (expiresAt) expiresAt = addDays(expiresAt.getTime() > now.getTime() ? expiresAt : now, days);
  return settle(prev, { ...prev, expiresAt, durationDays }, now, { type: 'subscription.renewed', extra: { days } });
}

/** Raises the data limit by `bytes`; an unlimited subscription stays unlimited. */
export function topUp(prev: Subscription, bytes: number, now: Date): Outcome {
  const dataLimitBytes = prev.dataLimitBytes === null ? null : prev.dataLimitBytes + bytes;
  return settle(prev, { ...prev, dataLimitBytes }, now, { type: 'subscription.topped_up', extra: { bytes } });
}

/** An admin sets the expiry and/or the data limit (null: none). */
export function setTerms(prev: Subscription, terms: { expiresAt?: Date | null; dataLimitBytes?: number | null }, now: Date): Outcome {
  return settle(prev, {
    ...prev,
    expiresAt: terms.expiresAt === undefined ? prev.expiresAt : terms.expiresAt,
    dataLimitBytes: terms.dataLimitBytes === undefined ? prev.dataLimitBytes : terms.dataLimitBytes,
  }, now, { type: 'subscription.changed', extra: {} });
}

/** The account was disabled or enabled in auth. */
export function setAccountDisabled(prev: Subscription, disabled: boolean, now: Date): Outcome {
  return settle(prev, { ...prev, accountDisabled: disabled }, now, null);
}

/**
 * The periodic evaluation: a due reset (one per tick, at its scheduled boundary; a missed run
 * catches up to now), a reset schedule not made yet, and the expiry. `changed: false` when nothing holds.
 */
export function evaluate(prev: Subscription, now: Date): Outcome {
  if (prev.nextResetAt && prev.nextResetAt.getTime() <= now.getTime()) return resetUsage(prev, now, true);
  if (!prev.nextResetAt && !prev.onHold && prev.resetStrategy !== 'NO_RESET') {
    return settle(prev, { ...prev, nextResetAt: nextResetAfter(prev.resetStrategy, prev.startedAt ?? now, now) }, now, null);
  }
  return settle(prev, { ...prev }, now, null);
}

export function toSubscriptionView(s: Subscription): SubscriptionView {
  return {
    status: s.status, planId: s.planId, startedAt: s.startedAt?.toISOString() ?? null, expiresAt: s.expiresAt?.toISOString() ?? null,
    dataLimitBytes: s.dataLimitBytes, usedBytes: s.usedBytes, lifetimeUsedBytes: s.lifetimeUsedBytes,
    lastResetAt: s.lastResetAt?.toISOString() ?? null, nextResetAt: s.nextResetAt?.toISOString() ?? null,
  };
}
