import { generateKeyPairFast, hostCidr, parseIpAddress, type IpCidr, type WgDumpPeer, type WgPublicKey } from '@vpn/wireguard';
import { orphanRemovalCap, planReconciliation, UnsafeReconciliation, type DesiredConfig, type DesiredState, type PendingRemoval } from './peer-reconciler';

const key = (): WgPublicKey => generateKeyPairFast().publicKey;
const ip = (n: number): IpCidr => hostCidr(parseIpAddress(`10.8.${Math.floor(n / 250)}.${(n % 250) + 2}`));

function peer(publicKey: WgPublicKey, allowed: IpCidr[]): WgDumpPeer {
  return { publicKey, hasPresharedKey: false, endpoint: null, allowedIps: allowed, latestHandshake: null, rxBytes: 0, txBytes: 0, persistentKeepalive: null };
}

function config(n: number, status: DesiredConfig['status'] = 'active', enabled = true): DesiredConfig {
  return { id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, publicKey: key(), allowedIp: ip(n), status, enabled };
}

function state(configs: DesiredConfig[], pendingCreate: string[] = [], pendingRevoke: string[] = [], removals: PendingRemoval[] = []): DesiredState {
  return { configs, pendingCreateKeys: new Set(pendingCreate), pendingRevokeKeys: new Set(pendingRevoke), pendingRemovals: removals };
}

const removal = (n: number, publicKey: WgPublicKey): PendingRemoval => ({ id: `00000000-0000-4000-9000-${String(n).padStart(12, '0')}`, publicKey });

describe(planReconciliation.name, () => {
  it('re-adds every active config missing from the interface', () => {
    const configs = [config(1), config(2), config(3)];
    const plan = planReconciliation([peer(configs[0].publicKey, [configs[0].allowedIp])], state(configs), { manual: false });
    expect(plan.add.map((a) => a.configId)).toEqual([configs[1].id, configs[2].id]);
    expect(plan.add[0].allowedIps).toEqual([configs[1].allowedIp]);
    expect(plan.unchanged).toBe(1);
    expect(plan.remove).toEqual([]);
  });

  it('repairs a peer whose allowed-ips drifted, including extra prefixes', () => {
    const [a, b] = [config(1), config(2)];
    const plan = planReconciliation([peer(a.publicKey, [ip(77)]), peer(b.publicKey, [b.allowedIp, ip(78)])], state([a, b]), { manual: false });
    expect(plan.fix.map((f) => [f.publicKey, f.allowedIps])).toEqual([[a.publicKey, [a.allowedIp]], [b.publicKey, [b.allowedIp]]]);
    expect(plan.unchanged).toBe(0);
  });

  it('removes the peer of a disabled config and never re-adds one', () => {
    const [on, offPresent, offAbsent] = [config(1), config(2, 'active', false), config(3, 'active', false)];
    const plan = planReconciliation([peer(on.publicKey, [on.allowedIp]), peer(offPresent.publicKey, [offPresent.allowedIp])], state([on, offPresent, offAbsent]), { manual: false });
    expect(plan.remove).toEqual([{ publicKey: offPresent.publicKey, reason: 'disabled' }]);
    expect(plan.add).toEqual([]);
    expect(plan.unchanged).toBe(1);
  });

  it('leaves the peer of a disabled config that a live enable saga is putting back', () => {
    const enabling = config(2, 'active', false);
    const plan = planReconciliation([peer(enabling.publicKey, [enabling.allowedIp])], state([config(1), enabling], [enabling.publicKey]), { manual: true });
    expect(plan).toMatchObject({ remove: [], sagaOwned: 1 });
  });

  it('does not count disabled configs as desired when the interface is full of peers', () => {
    const off = config(1, 'active', false);
    const strays = Array.from({ length: 20 }, (_, i) => peer(key(), [ip(100 + i)]));
    expect(() => planReconciliation(strays, state([off]), { manual: false })).toThrow(UnsafeReconciliation);
  });

  it('removes peers nobody owns as orphans', () => {
    const a = config(1);
    const stray = key();
    const plan = planReconciliation([peer(a.publicKey, [a.allowedIp]), peer(stray, [ip(9)])], state([a]), { manual: false });
    expect(plan.remove).toEqual([{ publicKey: stray, reason: 'orphan' }]);
  });

  it('never touches a peer of a PENDING create saga, and never re-adds one of a PENDING revoke saga', () => {
    const creating = key();
    const revoking = config(2);
    const a = config(1);
    const plan = planReconciliation([peer(a.publicKey, [a.allowedIp]), peer(creating, [ip(5)])], state([a, revoking], [creating], [revoking.publicKey]), { manual: true });
    expect(plan.remove).toEqual([]);
    expect(plan.add).toEqual([]);
    expect(plan.sagaOwned).toBe(1);
  });

  it('leaves a revoking peer that is still on the interface to its saga', () => {
    const revoking = config(2);
    const plan = planReconciliation([peer(revoking.publicKey, [ip(40)])], state([revoking], [], [revoking.publicKey]), { manual: true });
    expect(plan).toMatchObject({ add: [], fix: [], remove: [], sagaOwned: 1 });
  });

  it('keeps suspended configs off the interface and does not re-add them', () => {
    const [on, off] = [config(1, 'suspended'), config(2, 'suspended')];
    const keep = config(3);
    const plan = planReconciliation([peer(on.publicKey, [on.allowedIp]), peer(keep.publicKey, [keep.allowedIp])], state([on, off, keep]), { manual: false });
    expect(plan.remove).toEqual([{ publicKey: on.publicKey, reason: 'suspended' }]);
    expect(plan.add).toEqual([]);
  });

  it('caps automatic orphan removal at the larger of 10% and 50, and not for an admin run', () => {
    const a = config(1);
    const peers = [peer(a.publicKey, [a.allowedIp]), ...Array.from({ length: 120 }, (_, i) => peer(key(), [ip(i + 10)]))];
    const auto = planReconciliation(peers, state([a]), { manual: false });
    expect(auto.remove).toHaveLength(50);
    expect(auto.deferredOrphans).toBe(70);
    const manual = planReconciliation(peers, state([a]), { manual: true });
    expect(manual.remove).toHaveLength(120);
    expect(orphanRemovalCap(2_000)).toBe(200);
  });

  it('refuses to run when the database wants nothing but the server has many peers', () => {
    const peers = Array.from({ length: 11 }, (_, i) => peer(key(), [ip(i)]));
    expect(() => planReconciliation(peers, state([]), { manual: true })).toThrow(UnsafeReconciliation);
    expect(() => planReconciliation(peers, state([config(1, 'suspended')]), { manual: false })).toThrow(UnsafeReconciliation);
    expect(planReconciliation(peers.slice(0, 3), state([]), { manual: false }).remove).toHaveLength(3);
  });

  describe('removals kept by a revocation while the server was unreachable', () => {
    it('removes the revoked peer whatever allowed-ips it came back with, and settles the removal', () => {
      const a = config(1);
      const revoked = key();
      const plan = planReconciliation([peer(a.publicKey, [a.allowedIp]), peer(revoked, [ip(200), ip(201)])], state([a], [], [], [removal(1, revoked)]), { manual: false });
      expect(plan.remove).toEqual([{ publicKey: revoked, reason: 'revoked' }]);
      expect(plan.settledRemovals).toEqual([removal(1, revoked).id]);
    });

    it('is never held back by the cap on orphan removal of an automatic run', () => {
      const a = config(1);
      const orphans = Array.from({ length: 120 }, (_, i) => peer(key(), [ip(i + 10)]));
      const revoked = Array.from({ length: 80 }, (_, i) => removal(i, key()));
      const peers = [peer(a.publicKey, [a.allowedIp]), ...orphans, ...revoked.map((r, i) => peer(r.publicKey, [ip(i + 300)]))];
      const plan = planReconciliation(peers, state([a], [], [], revoked), { manual: false });
      const byReason = (reason: string) => plan.remove.filter((r) => r.reason === reason).map((r) => r.publicKey);
      expect(byReason('revoked').sort()).toEqual(revoked.map((r) => r.publicKey).sort());
      expect(byReason('orphan')).toHaveLength(orphanRemovalCap(peers.length));
      expect(plan.settledRemovals).toHaveLength(80);
    });

    it('does not count explicitly removed peers towards the empty-database abort', () => {
      const revoked = Array.from({ length: 15 }, (_, i) => removal(i, key()));
      const plan = planReconciliation(revoked.map((r, i) => peer(r.publicKey, [ip(i)])), state([], [], [], revoked), { manual: false });
      expect(plan.remove).toHaveLength(15);
      expect(plan.remove.every((r) => r.reason === 'revoked')).toBe(true);
    });

    it('settles without touching the peer when a newer config or a live create saga owns the key', () => {
      const owner = config(1);
      const creating = key();
      const plan = planReconciliation(
        [peer(owner.publicKey, [owner.allowedIp]), peer(creating, [ip(7)])],
        state([owner], [creating], [], [removal(1, owner.publicKey), removal(2, creating)]), { manual: true });
      expect(plan.remove).toEqual([]);
      expect(plan.unchanged).toBe(1);
      expect(plan.settledRemovals).toEqual([removal(1, owner.publicKey).id, removal(2, creating).id]);
    });

    it('settles a removal whose peer is already gone', () => {
      const gone = key();
      const plan = planReconciliation([], state([], [], [], [removal(3, gone)]), { manual: false });
      expect(plan.remove).toEqual([]);
      expect(plan.settledRemovals).toEqual([removal(3, gone).id]);
    });
  });
});
