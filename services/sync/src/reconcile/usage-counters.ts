import type { WgDumpPeer } from '@vpn/wireguard';

/** A config's counters as the last sync saw them (vpn.peer_stats). */
export interface LastCounters {
  configId: string;
  lastRx: number;
  lastTx: number;
  lastHandshakeAt: Date | null;
}

/** What one run adds to a config's statistics. */
export interface UsageUpdate {
  configId: string;
  deltaRx: number;
  deltaTx: number;
  /** The interface's counters now: the base of the next delta. */
  rx: number;
  tx: number;
  handshakeAt: Date | null;
}

/**
 * Bytes since the last run. WireGuard's counters are volatile: a value lower than last time means
 * the interface (or the peer) restarted, and all of the new value is new traffic.
 */
export function counterDelta(now: number, last: number): number {
  return now >= last ? now - last : now;
}

/** The updates of the peers whose counters or handshake moved; unchanged peers cost nothing. */
export function usageUpdates(pairs: Iterable<{ last: LastCounters; peer: WgDumpPeer }>): UsageUpdate[] {
  const out: UsageUpdate[] = [];
  for (const { last, peer } of pairs) {
    const handshakeMoved = peer.latestHandshake !== null && (last.lastHandshakeAt === null || peer.latestHandshake.getTime() > last.lastHandshakeAt.getTime());
    if (peer.rxBytes === last.lastRx && peer.txBytes === last.lastTx && !handshakeMoved) continue;
    out.push({
      configId: last.configId,
      deltaRx: counterDelta(peer.rxBytes, last.lastRx),
      deltaTx: counterDelta(peer.txBytes, last.lastTx),
      rx: peer.rxBytes,
      tx: peer.txBytes,
      handshakeAt: handshakeMoved ? peer.latestHandshake : null,
    });
  }
  return out;
}

/** A re-added peer starts from zero on the interface: the next delta counts from there. */
export function resetForReadd(last: LastCounters): UsageUpdate | null {
  if (last.lastRx === 0 && last.lastTx === 0) return null;
  return { configId: last.configId, deltaRx: 0, deltaTx: 0, rx: 0, tx: 0, handshakeAt: null };
}
