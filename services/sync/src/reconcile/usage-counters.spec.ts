import { generateKeyPairFast, type WgDumpPeer } from '@vpn/wireguard';
import { counterDelta, resetForReadd, usageUpdates, type LastCounters } from './usage-counters';

function peer(rx: number, tx: number, handshake: Date | null = null): WgDumpPeer {
  return { publicKey: generateKeyPairFast().publicKey, hasPresharedKey: false, endpoint: null, allowedIps: [], latestHandshake: handshake, rxBytes: rx, txBytes: tx, persistentKeepalive: null };
}

const last = (rx: number, tx: number, hs: Date | null = null): LastCounters => ({ configId: 'c1', lastRx: rx, lastTx: tx, lastHandshakeAt: hs });

describe(counterDelta.name, () => {
  it('is the growth of a counter', () => expect(counterDelta(1_500, 1_000)).toBe(500));
  it('is the whole new value when the counter went down (the interface restarted)', () => expect(counterDelta(300, 1_000)).toBe(300));
});

describe(usageUpdates.name, () => {
  it('skips peers whose counters and handshake did not move', () => {
    const hs = new Date('2025-01-01T00:00:00Z');
    expect(usageUpdates([{ last: last(10, 20, hs), peer: peer(10, 20, hs) }])).toEqual([]);
  });

  it('reports deltas, the new base and a newer handshake', () => {
    const hs = new Date('2025-01-01T00:01:00Z');
    expect(usageUpdates([{ last: last(10, 20, new Date('2025-01-01T00:00:00Z')), peer: peer(15, 20, hs) }]))
      .toEqual([{ configId: 'c1', deltaRx: 5, deltaTx: 0, rx: 15, tx: 20, handshakeAt: hs }]);
  });

  it('counts everything after a restart, so totals never go down', () => {
    const [u] = usageUpdates([{ last: last(1_000, 2_000), peer: peer(100, 50) }]);
    expect(u).toMatchObject({ deltaRx: 100, deltaTx: 50, rx: 100, tx: 50 });
  });
});

describe(resetForReadd.name, () => {
  it('moves the base to zero for a re-added peer and adds nothing', () => {
    expect(resetForReadd(last(500, 700))).toEqual({ configId: 'c1', deltaRx: 0, deltaTx: 0, rx: 0, tx: 0, handshakeAt: null });
    expect(resetForReadd(last(0, 0))).toBeNull();
  });
});
