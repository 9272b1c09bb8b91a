import type { SshPool, SshTarget } from '@vpn/ssh';
import { Coalescer } from '@vpn/runtime';
import { provisioningMetrics } from '../metrics/provisioning-metrics';
import { setPeersCommand, removePeersCommand, type InterfaceName, type PeerSpec, type WgPublicKey } from '@vpn/wireguard';

type PeerChange = { kind: 'add'; peer: PeerSpec } | { kind: 'remove'; publicKey: WgPublicKey };

interface ServerLine {
  target: SshTarget;
  ifname: InterfaceName;
  changes: Coalescer<PeerChange, unknown>;
}

/** Most peer changes in one remote command. */
const MAX_BATCH = 200;

/**
 * Coalesces peer changes per server: one batch per server is in flight at a time, and the changes
 * that arrive meanwhile go out together as one `wg set <if> peer … remove …` for removals and one
 * `wg set <if> peer … peer …` for additions (`wg addconf` from stdin for long batches): a burst costs
 * one round trip, and a lone change goes out at once (no waiting window). The commands run in the
 * server's long-lived shell (no SSH session per command). Removals run first: a key removed and re-added in one batch ends up
 * present. A failed command fails exactly the changes it carried.
 */
export class PeerBatcher {
  private readonly lines = new Map<string, ServerLine>();

  constructor(private readonly ssh: SshPool) {}

  add(serverId: string, target: SshTarget, ifname: InterfaceName, peer: PeerSpec): Promise<void> {
    return this.change(serverId, target, ifname, { kind: 'add', peer });
  }

  remove(serverId: string, target: SshTarget, ifname: InterfaceName, publicKey: WgPublicKey): Promise<void> {
    return this.change(serverId, target, ifname, { kind: 'remove', publicKey });
  }

  private async change(serverId: string, target: SshTarget, ifname: InterfaceName, change: PeerChange): Promise<void> {
    let line = this.lines.get(serverId);
    if (!line) {
      const created: ServerLine = { target, ifname, changes: new Coalescer((changes) => this.apply(created, changes), { maxBatch: MAX_BATCH, maxInFlight: 1 }) };
      this.lines.set(serverId, created);
      line = created;
    }
    // The server's connection details as of the latest change (an admin may have edited them).
    line.target = target;
    line.ifname = ifname;
    const error = await line.changes.call(change);
    if (error !== null) throw error;
  }

  /** One result per change: null when done, else the error of the command that carried it. */
  private async apply(line: ServerLine, changes: PeerChange[]): Promise<unknown[]> {
    const removes: WgPublicKey[] = [];
    const adds: PeerSpec[] = [];
    for (const c of changes) {
      if (c.kind === 'remove') removes.push(c.publicKey);
      else adds.push(c.peer);
    }
    if (removes.length > 0) provisioningMetrics().peerBatch.observe({ kind: 'remove' }, removes.length);
    if (adds.length > 0) provisioningMetrics().peerBatch.observe({ kind: 'add' }, adds.length);
    const removeError = removes.length > 0 ? await this.run(line, removePeersCommand(line.ifname, removes)) : null;
    const addError = adds.length > 0 ? await this.run(line, setPeersCommand(line.ifname, adds)) : null;
    return changes.map((c) => (c.kind === 'remove' ? removeError : addError));
  }

  private async run(line: ServerLine, cmd: { command: string; stdin?: string }): Promise<unknown> {
    try {
      await this.ssh.runInShell(line.target, cmd);
      return null;
    } catch (e) {
      return e ?? new Error('peer change failed');
    }
  }
}
