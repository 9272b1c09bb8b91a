import { Inject, Injectable } from '@nestjs/common';
import { CommonErrorCode, DomainError, VpnErrorCode, type CommandReply, type CommandRequest } from '@vpn/contracts';
import { SyncLeases } from '../schedule/sync-leases';
import { SYNC_TIMING, type SyncTiming } from '../schedule/sync-timing';
import { ServerReconciler } from './server-reconciler';
import { SyncRepository } from './sync.repository';

/** `sync.run`: one reconciliation now, under the server's lease, with no cap on orphan removal. */
@Injectable()
export class SyncService {
  constructor(
    @Inject(SyncRepository) private readonly repo: SyncRepository,
    @Inject(SyncLeases) private readonly leases: SyncLeases,
    @Inject(ServerReconciler) private readonly reconciler: ServerReconciler,
    @Inject(SYNC_TIMING) private readonly timing: SyncTiming,
  ) {}

  async run(req: CommandRequest<'sync.run'>): Promise<CommandReply<'sync.run'>> {
    let exists: boolean;
    try {
      exists = (await this.repo.server(req.serverId)) !== null;
    } catch {
      throw new DomainError(CommonErrorCode.SERVICE_UNAVAILABLE, 'sync could not read the server; nothing was changed');
    }
    if (!exists) throw new DomainError(VpnErrorCode.SERVER_NOT_FOUND, 'no such server');
    const lease = await this.takeLease(req.serverId);
    try {
      return await this.reconciler.reconcile(req.serverId, { manual: true, actorId: req.actorId });
    } finally {
      await this.leases.release(lease).catch(() => undefined);
    }
  }

  /** Waits briefly while another replica reconciles the server: its run ends within seconds. */
  private async takeLease(serverId: string) {
    const until = Date.now() + this.timing.manualWaitMs;
    for (;;) {
      let lease;
      try {
        lease = await this.leases.take(serverId, this.timing.leaseSeconds, this.timing.intervalSeconds);
      } catch {
        throw new DomainError(CommonErrorCode.SERVICE_UNAVAILABLE, 'sync could not take the server lease; nothing was changed');
      }
      if (lease) return lease;
      if (Date.now() >= until) throw new DomainError(CommonErrorCode.CONFLICT, 'another sync of this server is still running; try again shortly');
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
