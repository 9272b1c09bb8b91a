import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  BILLING_ACCOUNT_EVENTS, BillingErrorCode, CommonErrorCode, DomainError, parseUuid, type CommandReply, type CommandRequest, type EventEnvelope, type SubscriptionView,
} from '@vpn/contracts';
import { DataSource, type EntityManager } from '@vpn/db';
import { appendEvent, OUTBOX_PROCESS_CHANNEL } from '@vpn/messaging';
import { PLATFORM_CONFIG } from '@vpn/platform';
import type { PlatformConfig } from '@vpn/runtime';
import { PlansRepository } from '../plans/plans.repository';
import { AccountsRepository } from '../slots/accounts.repository';
import { parseDataLimit, parseIsoTime, parseRenewDays, parseTopUpBytes, parseUsageBatch } from './subscription-input';
import {
  activateOnHandshake, addUsage, evaluate, renew, resetUsage, setAccountDisabled, setTerms, startPlan, toSubscriptionView, topUp,
  type Outcome, type Subscription,
} from './subscription-rules';
import { SubscriptionsRepository } from './subscriptions.repository';

/** Subscriptions per tick transaction: bounds each transaction's locks and statement sizes. */
export const TICK_BATCH = 1_000;

/**
 * Subscriptions: every change locks the rows, applies a pure rule (subscription-rules) and writes the
 * new state, the closed usage period and the events in one transaction.
 */
@Injectable()
export class SubscriptionsService {
  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(SubscriptionsRepository) private readonly subs: SubscriptionsRepository,
    @Inject(AccountsRepository) private readonly accounts: AccountsRepository,
    @Inject(PlansRepository) private readonly plans: PlansRepository,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {}

  /** A new plan starts a new subscription on its terms (only when the plan changes: the PATCH is idempotent). */
  async assignPlan(req: CommandRequest<'limits.assign-plan'>): Promise<CommandReply<'limits.assign-plan'>> {
    const userId = parseUuid(req.userId, 'userId');
    const planId = parseUuid(req.planId, 'planId');
    return this.ds.transaction(async (m) => {
      const plan = await this.plans.findById(m, planId);
      if (!plan) throw new DomainError(BillingErrorCode.PLAN_NOT_FOUND, 'no such plan');
      await this.accounts.ensureMany(m, [userId], this.config.defaultPlan);
      const prev = await this.accounts.findForUpdate(m, userId);
      if (!prev) throw new DomainError(CommonErrorCode.INTERNAL, 'no plans exist');
      if (prev.planId !== planId) {
        await this.accounts.setPlan(m, userId, planId);
        await appendEvent(m, 'plan.changed', { userId, planId, previousPlanId: prev.planId }, { actorId: req.actorId, subject: userId });
        const [sub] = await this.subs.lockMany(m, [userId]);
        await this.persist(m, [startPlan(sub, planId, plan, new Date())], req.actorId);
      }
      return { userId, planId };
    });
  }

  update(req: CommandRequest<'limits.subscription.update'>): Promise<SubscriptionView> {
    const expiresAt = req.expiresAt === undefined || req.expiresAt === null ? req.expiresAt : parseIsoTime(req.expiresAt, 'expiresAt');
    const dataLimitBytes = req.dataLimitBytes === undefined ? undefined : parseDataLimit(req.dataLimitBytes);
    return this.changeOne(req.userId, req.actorId, (s, now) => setTerms(s, { expiresAt, dataLimitBytes }, now));
  }

  renew(req: CommandRequest<'limits.subscription.renew'>): Promise<SubscriptionView> {
    const days = parseRenewDays(req.days);
    return this.changeOne(req.userId, req.actorId, (s, now) => renew(s, days, now));
  }

  topUp(req: CommandRequest<'limits.subscription.top-up'>): Promise<SubscriptionView> {
    const bytes = parseTopUpBytes(req.bytes);
    return this.changeOne(req.userId, req.actorId, (s, now) => topUp(s, bytes, now));
  }

  resetUsage(req: CommandRequest<'limits.subscription.reset-usage'>): Promise<SubscriptionView> {
    return this.changeOne(req.userId, req.actorId, (s, now) => resetUsage(s, now, false));
  }

  /**
   * Counts a collector's batch once: its id is recorded in the transaction that counts it, so a
   * redelivery or a retry after a lost reply finds it and counts nothing. Bytes read before the
   * subscription's last reset count for the lifetime only.
   */
  async recordUsage(req: CommandRequest<'limits.usage.record'>): Promise<CommandReply<'limits.usage.record'>> {
    const { batchId, users } = parseUsageBatch(req.batchId, req.samples);
    return this.ds.transaction(async (m) => {
      if (!(await this.subs.recordBatch(m, batchId))) return { applied: false };
      const ids = users.map((u) => u.userId);
      await this.accounts.ensureMany(m, ids, this.config.defaultPlan);
      const byUser = new Map(users.map((u) => [u.userId, u.samples]));
      const now = new Date();
      const outcomes = (await this.subs.lockMany(m, ids)).map((s) => {
        const samples = byUser.get(s.userId) ?? [];
        const since = s.lastResetAt?.getTime() ?? -Infinity;
        const lifetime = samples.reduce((n, x) => n + x.bytes, 0);
        const period = samples.reduce((n, x) => n + (x.at.getTime() >= since ? x.bytes : 0), 0);
        return addUsage(s, period, lifetime, now);
      });
      await this.persist(m, outcomes, null);
      return { applied: true };
    });
  }

  async activateOnHandshake(req: CommandRequest<'limits.activate-on-handshake'>): Promise<CommandReply<'limits.activate-on-handshake'>> {
    const userId = parseUuid(req.userId, 'userId');
    const handshakeAt = parseIsoTime(req.handshakeAt, 'handshakeAt');
    return this.ds.transaction(async (m) => {
      await this.accounts.ensureMany(m, [userId], this.config.defaultPlan);
      const [sub] = await this.subs.lockMany(m, [userId]);
      const outcome = activateOnHandshake(sub, handshakeAt, new Date());
      if (outcome) await this.persist(m, [outcome], null);
      return { activated: outcome !== null };
    });
  }

  /** auth's user-updated event: a disabled account is DISABLED whatever else holds; enabling derives the status again. */
  async onUserUpdated(event: EventEnvelope<(typeof BILLING_ACCOUNT_EVENTS)[number]>, m: EntityManager): Promise<void> {
    const disabled = event.data.changes.disabled;
    if (disabled === undefined) return;
    await this.accounts.ensureMany(m, [event.data.userId], this.config.defaultPlan);
    const [sub] = await this.subs.lockMany(m, [event.data.userId]);
    await this.persist(m, [setAccountDisabled(sub, disabled, new Date())], event.actorId);
  }

  /**
   * One evaluation of expiries and due resets, in batches of TICK_BATCH subscriptions per transaction,
   * until none is due; returns how many changed.
   */
  async tick(now: Date = new Date()): Promise<number> {
    let changed = 0;
    for (;;) {
      const batch = await this.ds.transaction(async (m) => {
        const due = await this.subs.lockDue(m, now, TICK_BATCH);
        const outcomes = due.map((s) => evaluate(s, now));
        await this.persist(m, outcomes, null);
        return { due: due.length, changed: outcomes.filter((o) => o.changed).length };
      });
      changed += batch.changed;
      if (batch.due < TICK_BATCH) return changed;
    }
  }

  private async changeOne(rawUserId: unknown, actorId: string, rule: (s: Subscription, now: Date) => Outcome): Promise<SubscriptionView> {
    const userId = parseUuid(rawUserId, 'userId');
    return this.ds.transaction(async (m) => {
      await this.accounts.ensureMany(m, [userId], this.config.defaultPlan);
      const [sub] = await this.subs.lockMany(m, [userId]);
      const outcome = rule(sub, new Date());
      await this.persist(m, [outcome], actorId);
      return toSubscriptionView(outcome.next);
    });
  }

  /** The changed subscriptions, their closed periods and their events, in the caller's transaction (one statement). */
  private async persist(m: EntityManager, outcomes: readonly Outcome[], actorId: string | null): Promise<void> {
    const changed = outcomes.filter((o) => o.changed);
    const occurredAt = new Date().toISOString();
    const events: EventEnvelope[] = [];
    for (const o of changed) for (const e of o.events) events.push({ id: randomUUID(), type: e.type, occurredAt, actorId, subject: e.subject ?? null, data: e.data });
    await this.subs.saveBatch(m, changed.map((o) => o.next), changed.flatMap((o) => (o.closed ? [o.closed] : [])), events, OUTBOX_PROCESS_CHANNEL);
  }
}
