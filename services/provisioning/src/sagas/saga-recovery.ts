import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { VpnErrorCode } from '@vpn/contracts';
import { DataSource, queryRows } from '@vpn/db';
import { appendEvent, CommandBus } from '@vpn/messaging';
import { LOGGER } from '@vpn/platform';
import type { Logger } from '@vpn/runtime';
import { parsePublicKey } from '@vpn/wireguard';
import { ServersRepository } from '../servers/servers.repository';
import { AddressAllocators } from './address-allocators';
import { ConfigRevocationSaga } from './config-revocation.saga';
import { PeerBatcher } from './peer-batcher';
import { ProvisionerInstance } from './provisioner-instance';
import type { SagaRow } from './saga-record';

export interface RecoveryTiming {
  heartbeatMs: number;
  /** An owner whose heartbeat is older than this is gone. */
  staleAfterMs: number;
  /** A saga of a live owner untouched for this long is stuck and taken over too. */
  stuckAfterMs: number;
}

export const RECOVERY_TIMING = Symbol('RECOVERY_TIMING');
export const DEFAULT_RECOVERY_TIMING: RecoveryTiming = { heartbeatMs: 2_000, staleAfterMs: 10_000, stuckAfterMs: 120_000 };

/** The round's timeout in the SchedulerRegistry. */
export const SAGA_RECOVERY_TIMEOUT = 'saga-recovery';

/**
 * Finishes what a crash left: a PENDING create is compensated (peer removed, slot released, lease
 * freed, saga FAILED), a PENDING revoke rolls forward, and a DONE saga whose device slot was not yet
 * committed (create) or freed (revoke) gets that last step. Each provisioner beats a heartbeat; a
 * saga is taken over only from an owner that stopped beating (or after it is stuck), by one
 * process, with a compare-and-set on the owner.
 */
@Injectable()
export class SagaRecovery implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(ServersRepository) private readonly servers: ServersRepository,
    @Inject(AddressAllocators) private readonly allocators: AddressAllocators,
    @Inject(PeerBatcher) private readonly peers: PeerBatcher,
    @Inject(ConfigRevocationSaga) private readonly revocation: ConfigRevocationSaga,
    @Inject(ProvisionerInstance) private readonly instance: ProvisionerInstance,
    @Inject(RECOVERY_TIMING) private readonly timing: RecoveryTiming,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(SchedulerRegistry) private readonly scheduler: SchedulerRegistry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.beat();
    this.schedule();
  }

  /** In-flight sagas finish before the SSH pool and the database close. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.scheduler.doesExist('timeout', SAGA_RECOVERY_TIMEOUT)) this.scheduler.deleteTimeout(SAGA_RECOVERY_TIMEOUT);
    await this.running;
    await this.instance.drain();
    // Gone on purpose: whatever is still ours may be taken over at once.
    await this.ds.query(`DELETE FROM vpn.provisioners WHERE id = $1`, [this.instance.id]).catch(() => undefined);
  }

  /** The next round starts heartbeatMs after the last one ended, so two rounds never overlap. */
  private schedule(): void {
    if (this.stopped) return;
    this.scheduler.addTimeout(SAGA_RECOVERY_TIMEOUT, setTimeout(() => {
      this.scheduler.deleteTimeout(SAGA_RECOVERY_TIMEOUT);
      this.running = this.tick().finally(() => {
        this.running = null;
        this.schedule();
      });
    }, this.timing.heartbeatMs));
  }

  private async tick(): Promise<void> {
    try {
      await this.beat();
      await this.recoverOnce();
    } catch (e) {
      this.logger.warn({ err: (e as Error).message }, 'saga recovery round failed');
    }
  }

  /** Beats, and learns which provisioners are alive: they split each pool into lanes by it. */
  private async beat(): Promise<void> {
    const live = await queryRows<{ id: string }>(this.ds,
      `WITH beat AS (
         INSERT INTO vpn.provisioners (id, heartbeat_at) VALUES ($1, now())
         ON CONFLICT (id) DO UPDATE SET heartbeat_at = now() RETURNING id)
       SELECT id FROM beat
       UNION SELECT id FROM vpn.provisioners WHERE heartbeat_at >= now() - ($2::int * interval '1 millisecond')`,
      [this.instance.id, this.timing.staleAfterMs]);
    this.instance.setPeers(live.map((r) => r.id));
  }

  /** One round: take over and finish every orphaned saga. Returns how many were handled. */
  async recoverOnce(): Promise<number> {
    const orphans = await queryRows<SagaRow>(this.ds, `
      SELECT sg.* FROM vpn.sagas sg LEFT JOIN vpn.provisioners p ON p.id = sg.owner
      WHERE (sg.state = 'PENDING' OR (sg.state = 'DONE' AND NOT sg.slot_committed))
        AND (p.id IS NULL OR p.heartbeat_at < now() - ($1::int * interval '1 millisecond')
             OR sg.updated_at < now() - ($2::int * interval '1 millisecond')
             OR (sg.owner = $3 AND sg.updated_at < now() - ($4::int * interval '1 millisecond')))
      ORDER BY sg.created_at LIMIT 100`,
      [this.timing.staleAfterMs, this.timing.stuckAfterMs, this.instance.id, this.timing.heartbeatMs]);
    let handled = 0;
    for (const saga of orphans) {
      if (this.stopped) break;
      // Ours and still running here: not an orphan. Ours and not running: a compensation that failed
      // (the database or the server was away) — retried now, not after the stuck timeout.
      if (saga.owner === this.instance.id && this.instance.isLive(saga.id)) continue;
      const claimed = await queryRows<{ id: string }>(this.ds,
        `UPDATE vpn.sagas SET owner = $2, attempts = attempts + 1, updated_at = now() WHERE id = $1 AND owner = $3 AND state = $4 RETURNING id`,
        [saga.id, this.instance.id, saga.owner, saga.state]);
      if (claimed.length === 0) continue; // another process took it
      try {
        await this.instance.track(saga.id, () => this.finish(saga));
        handled++;
      } catch (e) {
        this.logger.warn({ sagaId: saga.id, kind: saga.kind, err: (e as Error).message }, 'recovering a saga failed; will retry');
      }
    }
    return handled;
  }

  private async finish(saga: SagaRow): Promise<void> {
    if (saga.state === 'DONE') {
      if (saga.kind === 'create') await this.commands.request('limits.commit', { reservationId: saga.id, deviceId: saga.config_id, userId: saga.user_id });
      else await this.commands.request('limits.release', { deviceId: saga.config_id });
      await this.ds.query(`UPDATE vpn.sagas SET slot_committed = true WHERE id = $1`, [saga.id]);
      return;
    }
    if (saga.kind === 'revoke') {
      await this.revocation.complete(saga.id, {
        id: saga.config_id, user_id: saga.user_id, server_id: saga.server_id, address: saga.address, public_key: saga.public_key,
      }, null);
      return;
    }
    // A create that did not reach DONE: undo every step it may have taken, in reverse order.
    const server = await this.servers.find(saga.server_id);
    if (server) await this.peers.remove(server.id, server.target, server.interface, parsePublicKey(saga.public_key));
    await this.commands.request('limits.release', { reservationId: saga.id });
    await this.ds.transaction(async (m) => {
      await m.query(`DELETE FROM vpn.leases WHERE owner_id = $1 AND NOT EXISTS (SELECT 1 FROM vpn.configs WHERE id = $1)`, [saga.id]);
      await m.query(`UPDATE vpn.sagas SET state = 'FAILED', error_code = $2, updated_at = now() WHERE id = $1 AND state = 'PENDING'`,
        [saga.id, VpnErrorCode.PROVISIONING_FAILED]);
      await appendEvent(m, 'config.provisioning_failed', { sagaId: saga.id, userId: saga.user_id, serverId: saga.server_id, code: VpnErrorCode.PROVISIONING_FAILED }, { subject: saga.id });
    });
    this.allocators.release(saga.server_id, saga.address);
    this.logger.info({ sagaId: saga.id }, 'compensated a create saga left by a crash');
  }
}
