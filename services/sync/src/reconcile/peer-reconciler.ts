import type { IpCidr, WgDumpPeer, WgPublicKey } from '@vpn/wireguard';

/** A config of the server as the database has it (with its last counters, for statistics). */
export interface DesiredConfig {
  id: string;
  publicKey: WgPublicKey;
  /** The config's /32 (or /128). */
  allowedIp: IpCidr;
  status: 'active' | 'suspended';
  /** false: the user took the device off the server; its peer must not be there. */
  enabled: boolean;
}

/** What the database says the interface should hold, read in one snapshot. */
export interface DesiredState {
  configs: readonly DesiredConfig[];
  /** Keys a PENDING saga is putting on the server (create, enable, a re-key's new key): never removed. */
  pendingCreateKeys: ReadonlySet<string>;
  /** Keys a PENDING saga is taking off the server (revoke, disable, a re-key's old key): never re-added. */
  pendingRevokeKeys: ReadonlySet<string>;
  /** Peers of configs revoked while the server could not be changed: removed on the next run. */
  pendingRemovals: readonly PendingRemoval[];
}

/** A kept removal (a row of vpn.pending_peer_removals). */
export interface PendingRemoval {
  id: string;
  publicKey: WgPublicKey;
}

export interface PeerChange {
  configId: string;
  publicKey: WgPublicKey;
  allowedIps: readonly IpCidr[];
}

export interface PeerRemoval {
  publicKey: WgPublicKey;
  reason: 'orphan' | 'suspended' | 'revoked' | 'disabled';
}

export interface ReconciliationPlan {
  /** Active configs missing from the interface: re-added in one batch. */
  add: PeerChange[];
  /** Active configs on the interface with other allowed-ips than their address. */
  fix: PeerChange[];
  /** Peers nobody owns (capped unless manual), suspended configs' peers and revoked configs' peers. */
  remove: PeerRemoval[];
  unchanged: number;
  /** Orphans left for a later run because of the removal cap. */
  deferredOrphans: number;
  /** Peers left alone because a live saga owns them. */
  sagaOwned: number;
  /** Kept removals this run settles (done by it, already done, or the key belongs to a newer device): deleted once it succeeds. */
  settledRemovals: string[];
}

export interface ReconcileOptions {
  /** An admin asked for this run: no cap on orphan removal. */
  manual: boolean;
  /** More peers than this on a server whose desired set is empty aborts the run. */
  emptyDesiredAbortAbove?: number;
}

/** Thrown when reconciling would do more harm than good; nothing is touched. */
export class UnsafeReconciliation extends Error {
  override readonly name = 'UnsafeReconciliation';
}

export const EMPTY_DESIRED_ABORT_ABOVE = 10;

/** The most orphans one automatic run removes: the larger of 10% of the peers and 50. */
export function orphanRemovalCap(peersOnServer: number): number {
  return Math.max(Math.ceil(peersOnServer * 0.1), 50);
}

function sameAllowedIps(actual: readonly IpCidr[], expected: IpCidr): boolean {
  return actual.length === 1 && actual[0] === expected;
}

/**
 * The diff between the live interface and the database, O(peers): which peers to re-add, which
 * allowed-ips to repair and which peers to remove. Peers of live sagas are never touched.
 */
export function planReconciliation(peers: readonly WgDumpPeer[], desired: DesiredState, opts: ReconcileOptions): ReconciliationPlan {
  const live = new Map<string, WgDumpPeer>();
  for (const p of peers) live.set(p.publicKey, p);
  const owned = new Set<string>();
  for (const c of desired.configs) owned.add(c.publicKey);

  // Kept removals are explicit: neither the cap on orphans nor the empty-database abort holds them back.
  const plan: ReconciliationPlan = { add: [], fix: [], remove: [], unchanged: 0, deferredOrphans: 0, sagaOwned: 0, settledRemovals: [] };
  const revoked = new Set<string>();
  for (const r of desired.pendingRemovals) {
    plan.settledRemovals.push(r.id);
    // A newer device (config or live create saga) holds the key now: the old removal must not take it away.
    if (owned.has(r.publicKey) || desired.pendingCreateKeys.has(r.publicKey)) continue;
    if (live.has(r.publicKey) && !revoked.has(r.publicKey)) {
      revoked.add(r.publicKey);
      plan.remove.push({ publicKey: r.publicKey, reason: 'revoked' });
    }
  }

  const hasDesired = desired.configs.some((c) => c.status === 'active' && c.enabled) || desired.pendingCreateKeys.size > 0;
  const abortAbove = opts.emptyDesiredAbortAbove ?? EMPTY_DESIRED_ABORT_ABOVE;
  const unexplained = peers.length - revoked.size;
  if (!hasDesired && unexplained > abortAbove) {
    throw new UnsafeReconciliation(`the database has no active config for this server but the interface has ${unexplained} peers; refusing to remove them`);
  }

  for (const c of desired.configs) {
    const peer = live.get(c.publicKey);
    if (desired.pendingRevokeKeys.has(c.publicKey)) {
      if (peer) plan.sagaOwned++;
      continue;
    }
    if (c.status === 'suspended') {
      if (peer) plan.remove.push({ publicKey: c.publicKey, reason: 'suspended' });
      continue;
    }
    if (!c.enabled) {
      // An enable saga is putting it back: its peer is the saga's until the flag follows.
      if (desired.pendingCreateKeys.has(c.publicKey)) {
        if (peer) plan.sagaOwned++;
      } else if (peer) {
        plan.remove.push({ publicKey: c.publicKey, reason: 'disabled' });
      }
      continue;
    }
    if (!peer) plan.add.push({ configId: c.id, publicKey: c.publicKey, allowedIps: [c.allowedIp] });
    else if (!sameAllowedIps(peer.allowedIps, c.allowedIp)) plan.fix.push({ configId: c.id, publicKey: c.publicKey, allowedIps: [c.allowedIp] });
    else plan.unchanged++;
  }

  const cap = opts.manual ? Infinity : orphanRemovalCap(peers.length);
  let orphans = 0;
  for (const p of peers) {
    if (owned.has(p.publicKey) || revoked.has(p.publicKey)) continue;
    if (desired.pendingCreateKeys.has(p.publicKey) || desired.pendingRevokeKeys.has(p.publicKey)) {
      plan.sagaOwned++;
      continue;
    }
    if (orphans < cap) {
      plan.remove.push({ publicKey: p.publicKey, reason: 'orphan' });
      orphans++;
    } else {
      plan.deferredOrphans++;
    }
  }
  return plan;
}
