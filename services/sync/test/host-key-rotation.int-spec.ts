import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { utils } from 'ssh2';
import { VpnErrorCode, type EventEnvelope, type ServerView } from '@vpn/contracts';
import { fingerprintOf } from '@vpn/ssh';
import { startSyncWorld, type SyncWorld } from './sync-world';

const ACTOR = '00000000-0000-4000-8000-000000000001';

describe('host key rotation does not strand users (real sshd + wireguard-go)', () => {
  let world: SyncWorld;
  let server: ServerView;

  beforeAll(async () => {
    world = await startSyncWorld({ label: 'host_key_rotation', intervalSeconds: 3600 });
    server = await world.register(0);
  }, 60_000);

  afterAll(async () => {
    await world?.stop();
  });

  const keyFile = () => join(world.lab.stateDir, 'server-0', 'ssh_host_ed25519_key');
  const keyLine = () => readFileSync(`${keyFile()}.pub`, 'utf8').trim();
  const fingerprint = (line: string) => fingerprintOf(Buffer.from(line.split(' ')[1], 'base64'));
  const pinned = async () => ((await world.stack.dataSource.query(`SELECT ssh_host_key FROM vpn.servers WHERE id = $1`, [server.id]))[0] as { ssh_host_key: string }).ssh_host_key;
  const peerKeys = async () => (await world.dump(0)).peers.map((p) => p.publicKey as string);
  const outbox = async (type: string) => ((await world.stack.dataSource.query(
    `SELECT envelope FROM messaging.outbox WHERE type = $1 ORDER BY seq`, [type])) as Array<{ envelope: EventEnvelope }>).map((r) => r.envelope);
  const sync = () => world.stack.commands.request('sync.run', { serverId: server.id, actorId: ACTOR }, { timeoutMs: 20_000 });

  /** A new host key for the lab server's sshd: SIGHUP makes the listener re-exec with it; open sessions are ended. */
  async function rotateHostKey(): Promise<string> {
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', keyFile()], { input: 'y\n' });
    const pids = await world.lab.sshdPids(0);
    // sshd retitles its processes: the listener as `sshd: /usr/sbin/sshd … [listener] …`, sessions as `sshd: root@notty`.
    const isListener = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('[listener]');
    const listener = pids.find(isListener);
    if (listener === undefined) throw new Error('no sshd listener in the lab namespace');
    for (const pid of pids) if (pid !== listener) process.kill(pid, 'SIGTERM');
    process.kill(listener, 'SIGHUP');
    const line = keyLine();
    const lab = world.lab.servers[0];
    for (let i = 0; i < 100; i++) {
      let scan = '';
      try {
        scan = execFileSync('ssh-keyscan', ['-t', 'ed25519', '-T', '2', lab.host], { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
      } catch {
        // the listener is re-executing
      }
      if (scan.includes(line.split(' ')[1])) return line;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('sshd did not take the new host key');
  }

  it('revokes while the host key mismatches (row gone, removal kept); a wrong re-pin is refused; the right one lets the next sync remove the peer', async () => {
    const { config, keys, userId } = await world.createConfig(server.id, 'phone');
    expect(await peerKeys()).toContain(keys.publicKey);
    const oldLine = world.lab.servers[0].hostKey;

    const newLine = await rotateHostKey();
    await expect(sync()).rejects.toMatchObject({ code: VpnErrorCode.HOST_KEY_MISMATCH });

    await expect(world.stack.commands.request('config.revoke', { userId, configId: config.id, actorId: userId }, { timeoutMs: 20_000 })).resolves.toEqual({ ok: true });
    await expect(world.stack.commands.request('config.get', { userId, configId: config.id })).rejects.toMatchObject({ code: VpnErrorCode.CONFIG_NOT_FOUND });
    expect(await world.stack.dataSource.query(`SELECT server_id, public_key, config_id FROM vpn.pending_peer_removals`))
      .toEqual([{ server_id: server.id, public_key: keys.publicKey, config_id: config.id }]);
    expect((await outbox('config.revoked')).map((e) => e.subject)).toEqual([config.id]);
    expect((await world.stack.commands.request('limits.account', { userId })).devicesUsed).toBe(0);
    expect(await peerKeys()).toContain(keys.publicKey);

    // A wrong pin is not taken, and commands stay refused.
    const stranger = utils.generateKeyPairSync('ed25519').public;
    await expect(world.stack.commands.request('server.pin-host-key', { actorId: ACTOR, serverId: server.id, sshHostKey: stranger }, { timeoutMs: 20_000 }))
      .rejects.toMatchObject({ code: VpnErrorCode.HOST_KEY_MISMATCH });
    expect(await pinned()).toBe(oldLine);
    await expect(sync()).rejects.toMatchObject({ code: VpnErrorCode.HOST_KEY_MISMATCH });
    expect(await peerKeys()).toContain(keys.publicKey);

    // Something puts the revoked key back with another address meanwhile: it must still go.
    const lab = world.lab.servers[0];
    await world.lab.execInServer(0, ['wg', 'set', lab.interface, 'peer', keys.publicKey, 'allowed-ips', '10.8.0.250/32']);

    const view = await world.stack.commands.request('server.pin-host-key', { actorId: ACTOR, serverId: server.id, sshHostKey: `${newLine} root@rotated` }, { timeoutMs: 20_000 });
    expect(view).toMatchObject({ id: server.id, publicKey: lab.publicKey });
    expect(await pinned()).toBe(newLine.split(' ').slice(0, 2).join(' '));
    const changed = await outbox('server.host_key_changed');
    expect(changed.map((e) => [e.subject, e.actorId, e.data])).toEqual([
      [server.id, ACTOR, { serverId: server.id, previousFingerprint: fingerprint(oldLine), fingerprint: fingerprint(newLine) }],
    ]);

    const report = await sync();
    expect(report.removed).toBe(1);
    expect(await peerKeys()).not.toContain(keys.publicKey);
    expect(await world.stack.dataSource.query(`SELECT id FROM vpn.pending_peer_removals`)).toEqual([]);
    expect((await outbox('peer.removed')).map((e) => e.data)).toEqual([{ serverId: server.id, publicKey: keys.publicKey, reason: 'revoked' }]);
  }, 120_000);

  it('re-pins through PATCH (server.update) with a SHA256 fingerprint, checked against the server first', async () => {
    const newLine = await rotateHostKey();
    await expect(sync()).rejects.toMatchObject({ code: VpnErrorCode.HOST_KEY_MISMATCH });
    await expect(world.stack.commands.request('server.update', { actorId: ACTOR, serverId: server.id, sshHostKey: 'SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s' }, { timeoutMs: 20_000 }))
      .rejects.toMatchObject({ code: VpnErrorCode.HOST_KEY_MISMATCH });
    const view = await world.stack.commands.request('server.update', { actorId: ACTOR, serverId: server.id, name: 'Rotated', sshHostKey: fingerprint(newLine) }, { timeoutMs: 20_000 });
    expect(view).toMatchObject({ id: server.id, name: 'Rotated' });
    expect(await pinned()).toBe(fingerprint(newLine));
    await expect(sync()).resolves.toMatchObject({ serverId: server.id, removed: 0 });
  }, 60_000);

  it('lets an admin delete a server whose host key no longer matches', async () => {
    await rotateHostKey();
    await expect(sync()).rejects.toMatchObject({ code: VpnErrorCode.HOST_KEY_MISMATCH });
    await expect(world.stack.commands.request('server.delete', { actorId: ACTOR, serverId: server.id })).resolves.toEqual({ ok: true });
    expect(await world.stack.dataSource.query(`SELECT id FROM vpn.servers`)).toEqual([]);
  }, 60_000);
});
