import { generateSshKeyPair, SshError, SshPool, fingerprintOf, type SshTarget } from '@vpn/ssh';
import { startLab } from '../../../infra/lab/test/lab-fixture';

jest.setTimeout(30_000);

describe(SshPool.name, () => {
  let fixture: Awaited<ReturnType<typeof startLab>>;
  let pool: SshPool;
  let target: SshTarget;

  beforeAll(async () => {
    fixture = await startLab(1);
    const s = fixture.lab.servers[0];
    target = { host: s.host, port: s.sshPort, username: s.sshUser, hostKey: s.hostKey };
    pool = new SshPool({ privateKey: fixture.privateKey, connectTimeoutMs: 3000, commandTimeoutMs: 10_000, keepaliveIntervalMs: 1000 });
  });
  afterAll(async () => {
    await pool?.close();
    await fixture?.stop();
  });

  const expectSshError = async (p: Promise<unknown>, kinds: string[]): Promise<SshError> => {
    const err = await p.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SshError);
    expect(kinds).toContain((err as SshError).kind);
    return err as SshError;
  };

  it('runs a command and returns stdout, stderr and the exit code', async () => {
    const r = await pool.exec(target, { command: 'echo out; echo err >&2' });
    expect(r).toEqual({ stdout: 'out\n', stderr: 'err\n', exitCode: 0 });
  });

  it('feeds stdin to the command', async () => {
    const r = await pool.exec(target, { command: 'cat', stdin: 'secret line\n' });
    expect(r.stdout).toBe('secret line\n');
  });

  it('turns a non-zero exit into COMMAND_FAILED with its code and stderr', async () => {
    const err = await expectSshError(pool.exec(target, { command: 'echo nope >&2; exit 3' }), ['COMMAND_FAILED']);
    expect(err.details.exitCode).toBe(3);
    expect(err.details.stderr).toBe('nope\n');
  });

  it('returns a non-zero exit when asked to', async () => {
    expect((await pool.exec(target, { command: 'exit 4' }, { allowNonZeroExit: true })).exitCode).toBe(4);
  });

  it('streams large output without a size limit', async () => {
    let bytes = 0;
    const r = await pool.execStream(target, { command: 'head -c 5000000 /dev/zero | tr "\\0" x' }, (c) => (bytes += c.length));
    expect(r.exitCode).toBe(0);
    expect(bytes).toBe(5_000_000);
  });

  it('runs commands without reading heavy shell rc files', async () => {
    const r = await pool.exec(target, { command: 'echo $SHLVL' });
    expect(r.stdout.trim()).toBe('2');
  });

  it('completes 100 concurrent commands on one pool', async () => {
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => pool.exec(target, { command: `echo ${i}` })));
    expect(results.map((r) => r.stdout)).toEqual(Array.from({ length: 100 }, (_, i) => `${i}\n`));
  });

  describe('runInShell', () => {
    it('runs command after command in one long-lived shell, with output and exit status', async () => {
      const pid = (await pool.runInShell(target, { command: 'echo $$' })).stdout;
      expect(pid).toMatch(/^\d+\n$/);
      expect((await pool.runInShell(target, { command: 'echo out; echo err >&2' })).stdout).toBe('out\nerr\n');
      expect((await pool.runInShell(target, { command: 'printf abc' })).stdout).toBe('abc');
      expect((await pool.runInShell(target, { command: 'true' })).stdout).toBe('');
      const err = await expectSshError(pool.runInShell(target, { command: 'echo nope; false' }), ['COMMAND_FAILED']);
      expect([err.details.exitCode, err.details.stderr]).toEqual([1, 'nope\n']);
      expect((await pool.runInShell(target, { command: 'sh -c "exit 4"' }, { allowNonZeroExit: true })).exitCode).toBe(4);
      expect((await pool.runInShell(target, { command: 'echo $$' })).stdout).toBe(pid); // still the same shell
    });

    it('keeps each of 50 concurrent commands\' output apart, in order', async () => {
      const outs = await Promise.all(Array.from({ length: 50 }, (_, i) => pool.runInShell(target, { command: `echo line ${i}` })));
      expect(outs.map((o) => o.stdout)).toEqual(Array.from({ length: 50 }, (_, i) => `line ${i}\n`));
    });

    it('gives a command /dev/null as stdin, so it cannot eat the commands after it', async () => {
      const [cat, after] = await Promise.all([pool.runInShell(target, { command: 'cat' }), pool.runInShell(target, { command: 'echo after' })]);
      expect([cat.stdout, after.stdout]).toEqual(['', 'after\n']);
    });

    it('sends a command with stdin through exec (a secret never enters the shell stream)', async () => {
      expect((await pool.runInShell(target, { command: 'cat', stdin: 'secret line\n' })).stdout).toBe('secret line\n');
    });

    it('ends a command at its deadline and the next one gets a fresh shell; so does a shell that exits', async () => {
      const before = (await pool.runInShell(target, { command: 'echo $$' })).stdout;
      const t0 = Date.now();
      await expectSshError(pool.runInShell(target, { command: 'sleep 5' }, { timeoutMs: 500 }), ['TIMEOUT']);
      expect(Date.now() - t0).toBeLessThan(1500);
      const fresh = (await pool.runInShell(target, { command: 'echo $$' })).stdout;
      expect(fresh).not.toBe(before);
      await expectSshError(pool.runInShell(target, { command: 'exit 3' }), ['UNREACHABLE']);
      const third = (await pool.runInShell(target, { command: 'echo $$' })).stdout;
      expect([third === fresh, third]).toEqual([false, expect.stringMatching(/^\d+\n$/)]);
    });

    it('ends a command inside its deadline when sshd freezes, and carries on once it thaws', async () => {
      await pool.runInShell(target, { command: 'true' });
      const t0 = Date.now();
      for (const pid of await fixture.lab.sshdPids(0)) process.kill(pid, 'SIGSTOP');
      try {
        await expectSshError(pool.runInShell(target, { command: 'echo frozen' }, { timeoutMs: 1000 }), ['TIMEOUT']);
        expect(Date.now() - t0).toBeLessThan(2000);
      } finally {
        for (const pid of await fixture.lab.sshdPids(0)) process.kill(pid, 'SIGCONT');
      }
      expect((await pool.runInShell(target, { command: 'echo thawed' })).stdout).toBe('thawed\n');
    });

    it('fails before starting anything when the server cannot be reached', async () => {
      const err = await expectSshError(pool.runInShell({ ...target, port: 2 }, { command: 'true' }), ['UNREACHABLE']);
      expect(err.commandMayHaveRun).toBe(false);
    });
  });

  it('accepts a pinned SHA256 fingerprint', async () => {
    const blob = Buffer.from(target.hostKey!.split(' ')[1], 'base64');
    const r = await pool.exec({ ...target, hostKey: fingerprintOf(blob) }, { command: 'echo ok' });
    expect(r.stdout).toBe('ok\n');
  });

  it('reports the host key seen on first contact', async () => {
    const seen = await pool.probeHostKey(target);
    expect(seen.key).toBe(target.hostKey);
    expect(seen.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });

  it('refuses to run anything when the host key does not match the pin', async () => {
    const other = generateSshKeyPair().public.split(' ').slice(0, 2).join(' ');
    const marker = `/tmp/vpn-ssh-mismatch-${process.pid}`;
    const err = await expectSshError(pool.exec({ ...target, hostKey: other }, { command: `touch ${marker}` }), ['HOST_KEY_MISMATCH']);
    expect(err.details.seenHostKey).toBe(target.hostKey);
    expect((await pool.exec(target, { command: `test -e ${marker} && echo ran || echo not-run` })).stdout).toBe('not-run\n');
  });

  it('reports AUTH_FAILED for a key the server does not authorize', async () => {
    const stranger = new SshPool({ privateKey: generateSshKeyPair().private, connectTimeoutMs: 3000 });
    try {
      await expectSshError(stranger.exec(target, { command: 'true' }), ['AUTH_FAILED']);
    } finally {
      await stranger.close();
    }
  });

  it('reports UNREACHABLE when nothing listens', async () => {
    await expectSshError(pool.exec({ ...target, port: 2 }, { command: 'true' }), ['UNREACHABLE']);
  });

  it('ends a command with TIMEOUT at its deadline and keeps working afterwards', async () => {
    const t0 = Date.now();
    await expectSshError(pool.exec(target, { command: 'sleep 5' }, { timeoutMs: 500 }), ['TIMEOUT']);
    expect(Date.now() - t0).toBeLessThan(1500);
    expect((await pool.exec(target, { command: 'echo again' })).stdout).toBe('again\n');
  });

  it('ends a command with TIMEOUT inside its deadline when sshd freezes (half-open connection)', async () => {
    await pool.exec(target, { command: 'true' });
    const pids = await fixture.lab.sshdPids(0);
    const running = pool.exec(target, { command: 'sleep 3; echo late' }, { timeoutMs: 1500 });
    await new Promise((r) => setTimeout(r, 200));
    for (const pid of pids) process.kill(pid, 'SIGSTOP');
    const t0 = Date.now();
    try {
      await expectSshError(running, ['TIMEOUT', 'UNREACHABLE']);
      expect(Date.now() - t0).toBeLessThan(2000);
    } finally {
      for (const pid of await fixture.lab.sshdPids(0)) process.kill(pid, 'SIGCONT');
    }
  });

  it('ends a command with UNREACHABLE/TIMEOUT inside its deadline when sshd is killed mid-command', async () => {
    await pool.exec(target, { command: 'true' });
    const running = pool.exec(target, { command: 'sleep 5; echo late' }, { timeoutMs: 3000 });
    await new Promise((r) => setTimeout(r, 300));
    for (const pid of await fixture.lab.sshdPids(0)) process.kill(pid, 'SIGKILL');
    const t0 = Date.now();
    await expectSshError(running, ['UNREACHABLE', 'TIMEOUT']);
    expect(Date.now() - t0).toBeLessThan(3000);
    // Nothing listens any more: the next command fails fast instead of hanging.
    await expectSshError(pool.exec(target, { command: 'true' }, { timeoutMs: 3000 }), ['UNREACHABLE']);
  });
});
