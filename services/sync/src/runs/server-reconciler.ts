import { Inject, Injectable } from '@nestjs/common';
import { CommonErrorCode, DomainError, VpnErrorCode, type SyncReport } from '@vpn/contracts';
import { LOGGER } from '@vpn/platform';
import type { Logger } from '@vpn/runtime';
import { SshError, SshPool } from '@vpn/ssh';
import { DumpParser, dumpCommand, type WgDump } from '@vpn/wireguard';
import { syncMetrics } from '../metrics/sync-metrics';
import { readdCommand, removeCommands, replaceAllowedIpsCommands } from '../reconcile/peer-commands';
import { planReconciliation, UnsafeReconciliation, type ReconciliationPlan } from '../reconcile/peer-reconciler';
import { resetForReadd, usageUpdates, type LastCounters, type UsageUpdate } from '../reconcile/usage-counters';
import type { PendingEvent } from '@vpn/messaging';
import { SyncRepository, type DesiredSnapshot, type SyncedServer as Server } from './sync.repository';

export interface ReconcileRequest {
  /** An admin asked for it (`sync.run`): orphan removal is not capped. */
  manual: boolean;
  actorId: string | null;
}

type Outcome = 'ok' | 'unreachable' | 'aborted' | 'failed';

/**
 * One reconciliation of one server: stream the dump → read the desired state (one snapshot) → diff
 * → re-add missing peers in one command, repair allowed-ips, remove unowned peers and those of
 * configs revoked while the server could not be changed → statistics, settled removals, server
 * state and events in one transaction. The caller holds the server's lease.
 * The device is read before the database snapshot is taken: a peer a saga adds later is not in the
 * dump, and a peer in it was added after its saga row was committed, so the snapshot shows its owner.
 */
@Injectable()
export class ServerReconciler {
  /** Last key/port mismatch reported per server, so a changed interface is reported once per replica, not every run. */
  private readonly reportedMismatch = new Map<string, string>();

  constructor(
    @Inject(SyncRepository) private readonly repo: SyncRepository,
    @Inject(SshPool) private readonly ssh: SshPool,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async reconcile(serverId: string, req: ReconcileRequest): Promise<SyncReport> {
    const started = performance.now();
    let outcome: Outcome = 'failed';
    try {
      const server = await this.fromDatabase('read the server', () => this.repo.server(serverId));
      if (!server) throw new DomainError(VpnErrorCode.SERVER_NOT_FOUND, 'no such server');
      // `wg show` reads the whole device before it prints its first byte: from then on the snapshot
      // may be taken, overlapping the database read with the rest of the stream and its parsing.
      let snapshot: Promise<DesiredSnapshot> | null = null;
      const readDesired = () => {
        snapshot ??= this.fromDatabase('read the desired state', () => this.repo.desiredState(serverId));
        snapshot.catch(() => undefined);
      };
      let dump: WgDump;
      try {
        dump = await this.readDump(server, readDesired);
      } catch (e) {
        if (e instanceof SshError) outcome = 'unreachable';
        throw await this.unreachable(server, e);
      }
      readDesired();
      // Abort without touching the server when the database cannot say what it should hold.
      const desired = await (snapshot as unknown as Promise<DesiredSnapshot>);
      let plan: ReconciliationPlan;
      try {
        plan = planReconciliation(dump.peers, desired, { manual: req.manual });
      } catch (e) {
        if (!(e instanceof UnsafeReconciliation)) throw e;
        outcome = 'aborted';
        this.logger.error({ serverId, peers: dump.peers.length }, e.message);
        throw new DomainError(CommonErrorCode.CONFLICT, `sync of ${server.name} aborted: ${e.message}`);
      }
      await this.apply(server, plan);
      const durationMs = Math.round(performance.now() - started);
      const report: SyncReport = {
        serverId, added: plan.add.length, removed: plan.remove.length, updated: plan.fix.length, unchanged: plan.unchanged, durationMs,
      };
      const usage = this.usage(dump, desired, plan);
      const events = this.events(server, dump, plan, report, req.actorId);
      await this.fromDatabase('record the run (the server was reconciled)', () => this.repo.recordRun(serverId, usage, events, plan.settledRemovals));
      if (plan.deferredOrphans > 0) {
        this.logger.warn({ serverId, deferred: plan.deferredOrphans }, 'orphan removal capped for this run; the rest go in later runs');
      }
      const m = syncMetrics();
      m.added.inc({ server_id: serverId }, plan.add.length);
      m.removed.inc({ server_id: serverId }, plan.remove.length);
      outcome = 'ok';
      this.logger.info({ ...report, manual: req.manual, sagaOwned: plan.sagaOwned }, 'server reconciled');
      return report;
    } finally {
      syncMetrics().duration.observe({ server_id: serverId, outcome }, (performance.now() - started) / 1000);
    }
  }

  /** Streams `wg show <if> dump` into the parser: never buffered whole (its first line holds the private key). */
  private async readDump(server: Server, onFirstOutput: () => void): Promise<WgDump> {
    const parser = new DumpParser();
    let parseError: unknown = null;
    await this.ssh.execStream(server.target, dumpCommand(server.interface), (chunk) => {
      onFirstOutput();
      if (parseError) return;
      try {
        parser.feed(chunk);
      } catch (e) {
        parseError = e;
      }
    });
    if (parseError) throw parseError;
    return parser.end();
  }

  private async apply(server: Server, plan: ReconciliationPlan): Promise<void> {
    try {
      // Missing peers first (one command), then repairs, then removals: a re-added peer takes its
      // address back from any unowned peer that claimed it.
      if (plan.add.length > 0) await this.ssh.exec(server.target, readdCommand(server.interface, plan.add));
      for (const cmd of replaceAllowedIpsCommands(server.interface, plan.fix)) await this.ssh.exec(server.target, cmd);
      if (plan.remove.length > 0) {
        for (const cmd of removeCommands(server.interface, plan.remove.map((r) => r.publicKey))) await this.ssh.exec(server.target, cmd);
      }
    } catch (e) {
      throw await this.unreachable(server, e);
    }
  }

  /** Statistics of every config whose peer is on the interface; re-added peers count again from zero. */
  private usage(dump: WgDump, desired: DesiredSnapshot, plan: ReconciliationPlan): UsageUpdate[] {
    const pairs: Array<{ last: LastCounters; peer: WgDump['peers'][number] }> = [];
    for (const peer of dump.peers) {
      const last = desired.counters.get(peer.publicKey);
      if (last) pairs.push({ last, peer });
    }
    const updates = usageUpdates(pairs);
    for (const a of plan.add) {
      const last = desired.counters.get(a.publicKey);
      const reset = last ? resetForReadd(last) : null;
      if (reset) updates.push(reset);
    }
    return updates;
  }

  private events(server: Server, dump: WgDump, plan: ReconciliationPlan, report: SyncReport, actorId: string | null): PendingEvent[] {
    const serverId = server.id;
    const events: PendingEvent[] = [];
    for (const a of plan.add) events.push({ type: 'peer.readded', data: { serverId, configId: a.configId, publicKey: a.publicKey }, actorId, subject: a.configId });
    for (const r of plan.remove) events.push({ type: 'peer.removed', data: { serverId, publicKey: r.publicKey, reason: r.reason }, actorId, subject: serverId });
    const actualKey = dump.interface.publicKey ?? '(none)';
    const mismatch = actualKey !== server.publicKey || dump.interface.listenPort !== server.listenPort;
    const seen = `${actualKey}:${dump.interface.listenPort}`;
    if (mismatch && this.reportedMismatch.get(serverId) !== seen) {
      this.reportedMismatch.set(serverId, seen);
      this.logger.error({ serverId, listenPort: dump.interface.listenPort }, 'the interface public key or listen port no longer matches the registered one');
      events.push({
        type: 'server.key_changed',
        data: { serverId, expectedPublicKey: server.publicKey, actualPublicKey: actualKey, expectedListenPort: server.listenPort, actualListenPort: dump.interface.listenPort },
        actorId, subject: serverId,
      });
    } else if (!mismatch) {
      this.reportedMismatch.delete(serverId);
    }
    events.push({ type: 'sync.completed', data: report, actorId, subject: serverId });
    return events;
  }

  /** An SSH failure marks the server unreachable (one event on the change) and becomes SSH_UNREACHABLE. */
  private async unreachable(server: Server, e: unknown): Promise<DomainError> {
    if (e instanceof DomainError) return e;
    if (!(e instanceof SshError)) {
      this.logger.error({ serverId: server.id, err: (e as Error).message }, 'the interface could not be read');
      return new DomainError(VpnErrorCode.PROVISIONING_FAILED, `${server.name}: the interface could not be read`);
    }
    this.logger.warn({ serverId: server.id, kind: e.kind }, 'server unreachable during sync');
    try {
      await this.repo.markUnreachable(server.id, e.kind === 'COMMAND_FAILED' ? 'wg command failed' : e.kind.toLowerCase());
    } catch (dbErr) {
      this.logger.warn({ serverId: server.id, err: (dbErr as Error).message }, 'could not record the server as unreachable');
    }
    if (e.kind === 'HOST_KEY_MISMATCH') return new DomainError(VpnErrorCode.HOST_KEY_MISMATCH, `the host key of ${server.name} does not match the pinned key`);
    return new DomainError(VpnErrorCode.SSH_UNREACHABLE, `${server.name} could not be reached over SSH (${e.kind.toLowerCase()})`);
  }

  /** A database failure is SERVICE_UNAVAILABLE; nothing after it runs. */
  private async fromDatabase<T>(what: string, step: () => Promise<T>): Promise<T> {
    try {
      return await step();
    } catch (e) {
      if (e instanceof DomainError) throw e;
      this.logger.error({ err: (e as Error).message }, `sync could not ${what}; aborted`);
      throw new DomainError(CommonErrorCode.SERVICE_UNAVAILABLE, `sync could not ${what}; try again later`);
    }
  }
}
