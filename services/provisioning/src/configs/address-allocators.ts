import { Inject, Injectable } from '@nestjs/common';
import type { AddressAllocator, IpAddress } from '@vpn/wireguard';
import type { Server } from '../servers/server-record';
import { ProvisionerInstance } from '../sagas/provisioner-instance';
import { ConfigsRepository } from './configs.repository';

interface Entry {
  allocator: AddressAllocator;
  loadedAt: number;
  /** Handed out here, lease not yet committed: a reload must not hand them out again. */
  pending: Set<string>;
}

const RELOAD_AFTER_MS = 5 * 60_000;
/** After a conflict, reload at most this often: the other replicas' leases become known at once. */
const CONFLICT_RELOAD_MS = 50;

/**
 * One address allocator per server, loaded once from the leases: allocating is O(log n) in memory,
 * never a scan of the server's addresses per create. The database's unique (server, address) is the
 * guard between replicas; each replica allocates in its own lane of the pool (ProvisionerInstance),
 * so conflicts are rare, and a conflict marks the address used here and the next one is tried.
 * Addresses freed by other replicas come back on the periodic reload or when the pool looks full.
 */
@Injectable()
export class AddressAllocators {
  private readonly entries = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<Entry>>();

  constructor(
    @Inject(ConfigsRepository) private readonly configs: ConfigsRepository,
    @Inject(ProvisionerInstance) private readonly instance: ProvisionerInstance,
  ) {}

  async allocate(server: Server): Promise<IpAddress | null> {
    let entry = await this.entry(server, false);
    if (entry.allocator.freeCount === 0) entry = await this.entry(server, true);
    if (entry.allocator.freeCount === 0) return null;
    const address = entry.allocator.allocate(this.instance.lane);
    entry.pending.add(address);
    return address;
  }

  /** The lease of an address handed out here is committed: the database knows it now. */
  settled(serverId: string, address: string): void {
    this.entries.get(serverId)?.pending.delete(address);
  }

  /**
   * Another process holds this address: mark it, and reload the server's leases soon so the other
   * replicas' addresses are known instead of being discovered one conflict at a time.
   */
  async conflict(server: Server, address: string): Promise<void> {
    const entry = this.entries.get(server.id);
    if (!entry) return;
    entry.pending.delete(address);
    entry.allocator.reserve(address);
    if (Date.now() - entry.loadedAt >= CONFLICT_RELOAD_MS) await this.entry(server, true);
  }

  release(serverId: string, address: string): void {
    const entry = this.entries.get(serverId);
    entry?.pending.delete(address);
    entry?.allocator.release(address);
  }

  forget(serverId: string): void {
    this.entries.delete(serverId);
  }

  private async entry(server: Server, forceReload: boolean): Promise<Entry> {
    const current = this.entries.get(server.id);
    if (current && !forceReload && Date.now() - current.loadedAt < RELOAD_AFTER_MS) return current;
    let pending = this.loading.get(server.id);
    if (!pending) {
      pending = this.load(server).finally(() => this.loading.delete(server.id));
      this.loading.set(server.id, pending);
    }
    return pending;
  }

  private async load(server: Server): Promise<Entry> {
    const leased = await this.configs.leasedAddresses(server.id);
    const pending = this.entries.get(server.id)?.pending ?? new Set<string>();
    const allocator = server.pool.allocator(leased);
    for (const a of pending) allocator.reserve(a);
    const entry = { allocator, loadedAt: Date.now(), pending };
    this.entries.set(server.id, entry);
    return entry;
  }
}
