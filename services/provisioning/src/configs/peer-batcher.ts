import type { SshPool, SshTarget } from '@vpn/ssh';
import { addPeersCommand, removePeersCommand, type InterfaceName, type PeerSpec, type WgPublicKey } from '@vpn/wireguard';

interface Pending<T> {
  item: T;
  resolve: () => void;
  reject: (e: unknown) => void;
}

interface ServerQueue {
  target: SshTarget;
  ifname: InterfaceName;
  adds: Array<Pending<PeerSpec>>;
  removes: Array<Pending<WgPublicKey>>;
  timer: NodeJS.Timeout | null;
  running: Promise<void> | null;
}

export interface PeerBatcherOptions {
  /** How long the first change of a batch waits for others (ms). */
  windowMs?: number;
  /** A batch is sent at once when it reaches this many changes. */
  maxBatch?: number;
}

/**
 * Coalesces peer changes per server: additions that arrive within a few milliseconds go out as one
 * `wg addconf <if> /dev/stdin`, removals as one `wg set <if> peer … remove …`, so a burst costs one
 * SSH round trip. One batch per server is in flight at a time; the next one collects meanwhile.
 */
export class PeerBatcher {
  private readonly queues = new Map<string, ServerQueue>();
  private readonly windowMs: number;
  private readonly maxBatch: number;

  constructor(private readonly ssh: SshPool, opts: PeerBatcherOptions = {}) {
    this.windowMs = opts.windowMs ?? 2;
    this.maxBatch = opts.maxBatch ?? 200;
  }

  add(serverId: string, target: SshTarget, ifname: InterfaceName, peer: PeerSpec): Promise<void> {
    return this.enqueue(serverId, target, ifname, (q, p) => q.adds.push({ item: peer, ...p }));
  }

  remove(serverId: string, target: SshTarget, ifname: InterfaceName, publicKey: WgPublicKey): Promise<void> {
    return this.enqueue(serverId, target, ifname, (q, p) => q.removes.push({ item: publicKey, ...p }));
  }

  private enqueue(
    serverId: string, target: SshTarget, ifname: InterfaceName,
    push: (q: ServerQueue, p: { resolve: () => void; reject: (e: unknown) => void }) => void,
  ): Promise<void> {
    let q = this.queues.get(serverId);
    if (!q) {
      q = { target, ifname, adds: [], removes: [], timer: null, running: null };
      this.queues.set(serverId, q);
    }
    q.target = target;
    q.ifname = ifname;
    const queue = q;
    const done = new Promise<void>((resolve, reject) => push(queue, { resolve, reject }));
    if (queue.adds.length + queue.removes.length >= this.maxBatch) this.flushSoon(serverId, queue, 0);
    else this.flushSoon(serverId, queue, this.windowMs);
    return done;
  }

  private flushSoon(serverId: string, q: ServerQueue, ms: number): void {
    if (q.running) return; // the running batch schedules the next one when it ends
    if (q.timer && ms > 0) return;
    if (q.timer) clearTimeout(q.timer);
    q.timer = setTimeout(() => {
      q.timer = null;
      q.running = this.flush(q).finally(() => {
        q.running = null;
        if (q.adds.length + q.removes.length > 0) this.flushSoon(serverId, q, 0);
        else if (!q.timer) this.queues.delete(serverId);
      });
    }, ms);
  }

  private async flush(q: ServerQueue): Promise<void> {
    const adds = q.adds.splice(0, this.maxBatch);
    const removes = q.removes.splice(0, Math.max(0, this.maxBatch - adds.length));
    // Removals first: a key removed and re-added in one window ends up present.
    if (removes.length > 0) await this.run(q, removePeersCommand(q.ifname, removes.map((r) => r.item)), removes);
    if (adds.length > 0) await this.run(q, addPeersCommand(q.ifname, adds.map((a) => a.item)), adds);
  }

  private async run(q: ServerQueue, cmd: { command: string; stdin?: string }, waiting: Array<Pending<unknown>>): Promise<void> {
    try {
      await this.ssh.exec(q.target, cmd);
      for (const w of waiting) w.resolve();
    } catch (e) {
      for (const w of waiting) w.reject(e);
    }
  }
}
