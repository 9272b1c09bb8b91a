import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';
import { freePort } from './service-process';

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ port, host: '127.0.0.1' });
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(300, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

async function waitPort(port: number, open: boolean, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if ((await portOpen(port)) === open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`port ${port} did not ${open ? 'open' : 'close'} within ${timeoutMs} ms`);
}

/** Binaries of the machine's PostgreSQL (Debian's), newest first. */
function pgBin(): string {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) throw new Error('no PostgreSQL binaries under /usr/lib/postgresql');
  const version = readdirSync(root).sort((a, b) => Number(b) - Number(a))[0];
  return join(root, version, 'bin');
}

/**
 * A PostgreSQL server of one test's own, so the test can stop and start it without touching the
 * shared one. Runs as the `postgres` OS user (PostgreSQL refuses root), trust auth on 127.0.0.1.
 */
export class PrivatePostgres {
  private constructor(readonly dir: string, readonly port: number) {}

  static async start(): Promise<PrivatePostgres> {
    const dir = mkdtempSync(join(tmpdir(), 'vpn-private-pg-'));
    chmodSync(dir, 0o755);
    const data = join(dir, 'data');
    const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    chownSync(dir, uid, gid);
    const init = spawnSync('runuser', ['-u', 'postgres', '--', join(pgBin(), 'initdb'), '-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync'], { encoding: 'utf8' });
    if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`);
    const pg = new PrivatePostgres(dir, await freePort());
    await pg.startServer();
    return pg;
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  urlFor(database: string): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  async startServer(): Promise<void> {
    const r = spawnSync('runuser', ['-u', 'postgres', '--', join(pgBin(), 'pg_ctl'), '-D', join(this.dir, 'data'), '-l', join(this.dir, 'log'), '-w', '-t', '30',
      '-o', `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300`, 'start'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`pg_ctl start failed: ${r.stderr}${r.stdout}`);
    await waitPort(this.port, true, 15_000);
  }

  /** Stops the server now (fast mode: open connections are cut, as in an outage). */
  async stopServer(): Promise<void> {
    const r = spawnSync('runuser', ['-u', 'postgres', '--', join(pgBin(), 'pg_ctl'), '-D', join(this.dir, 'data'), '-m', 'fast', '-w', '-t', '30', 'stop'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`pg_ctl stop failed: ${r.stderr}${r.stdout}`);
    await waitPort(this.port, false, 15_000);
  }

  async destroy(): Promise<void> {
    try {
      await this.stopServer();
    } catch {
      // already stopped
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A NATS server with JetStream (file storage) of one test's own, so the test can restart it. */
export class PrivateNats {
  private child: ChildProcess | null = null;

  private constructor(readonly dir: string, readonly port: number) {}

  static async start(): Promise<PrivateNats> {
    const n = new PrivateNats(mkdtempSync(join(tmpdir(), 'vpn-private-nats-')), await freePort());
    await n.startServer();
    return n;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  async startServer(): Promise<void> {
    this.child = spawn('nats-server', ['-a', '127.0.0.1', '-p', String(this.port), '-js', '-sd', this.dir], { stdio: 'ignore' });
    await waitPort(this.port, true, 10_000);
  }

  /** SIGTERM and wait until the port is closed (its stream is on disk and comes back). */
  async stopServer(): Promise<void> {
    const c = this.child;
    this.child = null;
    if (!c || c.exitCode !== null) return;
    const gone = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    await gone;
    await waitPort(this.port, false, 10_000);
  }

  async destroy(): Promise<void> {
    await this.stopServer();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
