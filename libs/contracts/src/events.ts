import type { ResetStrategy, Role, SubscriptionStatus, SyncReport } from './views';

/**
 * Every domain event: type → payload. Events go to the JetStream stream `VPN_EVENTS` on subject
 * `vpn.events.<type>`. They never carry secrets (no private or preshared keys, no passwords).
 */
export interface EventMap {
  'user.registered': { userId: string; email: string; role: Role };
  'user.updated': { userId: string; changes: { role?: Role; disabled?: boolean; passwordChanged?: boolean; passwordReset?: boolean; totpEnabled?: boolean; signedOutEverywhere?: boolean } };
  'auth.login.failed': { email: string; ip: string; reason: 'invalid_credentials' | 'throttled' | 'disabled' };
  'plan.created': { planId: string; name: string; maxDevices: number; dataLimitBytes: number | null; durationDays: number | null; resetStrategy: ResetStrategy; startOnFirstConnect: boolean };
  'plan.updated': { planId: string; name: string; maxDevices: number; dataLimitBytes: number | null; durationDays: number | null; resetStrategy: ResetStrategy; startOnFirstConnect: boolean };
  'plan.changed': { userId: string; planId: string; previousPlanId: string | null };
  'limits.reached': { userId: string; planId: string; maxDevices: number };
  // Subscriptions. A status change is one event named by the new status (activated, on_hold, limited,
  // expired, disabled); an action is its own event (started, reset, renewed, topped_up, changed).
  // Every one carries the status after it and before it: enforcement acts on `status` alone.
  'subscription.started': SubscriptionEventData;
  'subscription.activated': SubscriptionEventData;
  'subscription.on_hold': SubscriptionEventData;
  'subscription.limited': SubscriptionEventData;
  'subscription.expired': SubscriptionEventData;
  'subscription.disabled': SubscriptionEventData;
  'subscription.reset': SubscriptionEventData & { periodStart: string; periodEnd: string; periodUsedBytes: number; scheduled: boolean };
  'subscription.renewed': SubscriptionEventData & { days: number };
  'subscription.topped_up': SubscriptionEventData & { bytes: number };
  'subscription.changed': SubscriptionEventData;
  'server.registered': { serverId: string; name: string; host: string; interface: string; publicKey: string };
  'server.updated': { serverId: string; changes: Record<string, unknown> };
  'server.deleted': { serverId: string };
  'server.unreachable': { serverId: string; reason: string };
  'server.key_changed': {
    serverId: string;
    expectedPublicKey: string; actualPublicKey: string;
    expectedListenPort: number; actualListenPort: number;
  };
  'server.host_key_changed': { serverId: string; previousFingerprint: string; fingerprint: string };
  'config.created': { configId: string; userId: string; serverId: string; name: string; address: string; publicKey: string };
  'config.revoked': { configId: string; userId: string; serverId: string; publicKey: string };
  'config.provisioning_failed': { sagaId: string; userId: string; serverId: string; code: string };
  'sync.completed': SyncReport;
  'peer.readded': { serverId: string; configId: string; publicKey: string };
  'peer.removed': { serverId: string; publicKey: string; reason: 'orphan' | 'suspended' | 'revoked' | 'disabled' };
}

/** What every subscription event carries (times ISO, null: none). */
export interface SubscriptionEventData {
  userId: string;
  status: SubscriptionStatus;
  previousStatus: SubscriptionStatus;
  planId: string;
  expiresAt: string | null;
  dataLimitBytes: number | null;
  usedBytes: number;
}

export type EventType = keyof EventMap;
export type EventPayload<T extends EventType> = EventMap[T];

export const EVENT_TYPES = [
  'user.registered', 'user.updated', 'auth.login.failed',
  'plan.created', 'plan.updated', 'plan.changed', 'limits.reached',
  'subscription.started', 'subscription.activated', 'subscription.on_hold', 'subscription.limited', 'subscription.expired',
  'subscription.disabled', 'subscription.reset', 'subscription.renewed', 'subscription.topped_up', 'subscription.changed',
  'server.registered', 'server.updated', 'server.deleted', 'server.unreachable', 'server.key_changed', 'server.host_key_changed',
  'config.created', 'config.revoked', 'config.provisioning_failed',
  'sync.completed', 'peer.readded', 'peer.removed',
] as const satisfies readonly EventType[];

type MissingEvents = Exclude<EventType, (typeof EVENT_TYPES)[number]>;
const _allEventsListed: MissingEvents extends never ? true : MissingEvents = true;
void _allEventsListed;

/** What travels on the stream: the payload plus who, what and when. `id` is the outbox id. */
export interface EventEnvelope<T extends EventType = EventType> {
  id: string;
  type: T;
  occurredAt: string;
  actorId: string | null;
  /** The id of the object the event is about (user, server, config…). */
  subject: string | null;
  data: EventPayload<T>;
}

/** The stream and its subjects. */
export const EVENT_STREAM = 'VPN_EVENTS';
export const EVENT_SUBJECT_ROOT = 'vpn.events';
export const ALL_EVENTS_FILTER = `${EVENT_SUBJECT_ROOT}.>`;

export function eventSubject(type: EventType): string {
  return `${EVENT_SUBJECT_ROOT}.${type}`;
}

export function eventTypeFromSubject(subject: string): EventType | null {
  const root = `${EVENT_SUBJECT_ROOT}.`;
  const at = subject.indexOf(root);
  if (at < 0) return null;
  const type = subject.slice(at + root.length);
  return (EVENT_TYPES as readonly string[]).includes(type) ? (type as EventType) : null;
}

/** The events billing-limits' `billing-accounts` consumer handles: an account disabled or enabled in auth. */
export const BILLING_ACCOUNT_EVENTS = ['user.updated'] as const satisfies readonly EventType[];

/** Durable consumer names, one per consuming service and purpose. */
export const CONSUMERS = {
  auditLog: 'audit-log',
  /** billing-limits learns of disabled accounts (user.updated). */
  billingAccounts: 'billing-accounts',
} as const;
