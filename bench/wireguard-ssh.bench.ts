// WireGuard over SSH on the lab: pooled exec latency, one `wg set` on a 10,000-peer interface,
// `wg addconf` of 10,000 peers over SSH vs the same command run locally. Numbers only, no assertions.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { utils } from 'ssh2';
import { AddressPool, addPeersCommand, generateKeyPairFast, parseInterfaceName, setPeerCommand, type PeerSpec } from '@vpn/wireguard';
import { SshPool, type SshTarget } from '@vpn/ssh';
import { Lab } from '../infra/lab/lab';

interface BenchRow {
  name: string;
  value: number;
  unit: string;
  goal?: string;
  notes?: string;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

function peers(n: number, poolCidr: string): PeerSpec[] {
  const pool = AddressPool.parse(poolCidr);
  const alloc = pool.allocator();
  return Array.from({ length: n }, () => ({ publicKey: generateKeyPairFast().publicKey, allowedIps: [pool.clientCidr(alloc.allocate())] }));
}

export default async function bench(): Promise<BenchRow[]> {
  const stateDir = mkdtempSync(join(tmpdir(), 'vpn-lab-bench-'));
  const pair = utils.generateKeyPairSync('ed25519');
  const lab = await Lab.up({ servers: 1, provisionerPublicKey: pair.public, stateDir });
  const pool = new SshPool({ privateKey: pair.private, commandTimeoutMs: 60_000 });
  try {
    const s = lab.servers[0];
    const target: SshTarget = { host: s.host, port: s.sshPort, username: s.sshUser, hostKey: s.hostKey };
    const itf = parseInterfaceName(s.interface);
    const rows: BenchRow[] = [];

    // 20 warm-up calls, then the median of 300.
    const medianOf300 = async (call: () => Promise<unknown>) => {
      for (let i = 0; i < 20; i++) await call();
      const times: number[] = [];
      for (let i = 0; i < 300; i++) {
        const t0 = performance.now();
        await call();
        times.push(performance.now() - t0);
      }
      return round(median(times));
    };
    rows.push({ name: 'ssh pool: exec `true`, median of 300', value: await medianOf300(() => pool.exec(target, { command: 'true' })), unit: 'ms', goal: '≤ 3 ms', notes: 'one pooled connection, TCP_NODELAY, no rc files (sshd SetEnv SHLVL=1)' });
    rows.push({ name: 'ssh pool: runInShell `true`, median of 300', value: await medianOf300(() => pool.runInShell(target, { command: 'true' })), unit: 'ms', notes: 'the long-lived shell peer batches use: no session per command' });

    const tenK = addPeersCommand(itf, peers(10_000, '10.100.0.0/16'));
    const confFile = join(stateDir, 'addconf-10k.conf');
    writeFileSync(confFile, tenK.stdin ?? '', { mode: 0o600 });
    const local: number[] = [];
    const remote: number[] = [];
    for (let round_ = 0; round_ < 3; round_++) {
      await lab.reboot(0);
      let t0 = performance.now();
      await lab.execInServer(0, ['wg', 'addconf', s.interface, confFile]);
      local.push(performance.now() - t0);
      await lab.reboot(0);
      t0 = performance.now();
      await pool.exec(target, tenK);
      remote.push(performance.now() - t0);
    }
    const l = median(local);
    const r = median(remote);
    rows.push({ name: 'wg addconf 10,000 peers, local (ip netns exec), median of 3', value: round(l, 0), unit: 'ms' });
    rows.push({ name: 'wg addconf 10,000 peers over SSH, median of 3', value: round(r, 0), unit: 'ms', notes: `${round(r / l)}× local` });
    rows.push({ name: 'wg addconf 10,000 peers: SSH / local', value: round(r / l), unit: '×', goal: '≤ 1.5×' });

    const extra = peers(50, '10.200.0.0/24');
    const setTimes: number[] = [];
    for (const p of extra) {
      const t0 = performance.now();
      await pool.exec(target, setPeerCommand(itf, p));
      setTimes.push(performance.now() - t0);
    }
    rows.push({ name: 'wg set of one peer on a 10,000-peer interface over SSH, median of 50', value: round(median(setTimes)), unit: 'ms', notes: 'the floor of one config creation' });
    return rows;
  } finally {
    await pool.close();
    await lab.down();
    rmSync(stateDir, { recursive: true, force: true });
  }
}
