import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

// Issue 14, finding 9: the superuser password must never sit in a file other local users can read,
// neither the kept one in DATA_DIR nor the one initdb reads while the cluster is created.

const ROOT = join(__dirname, '..', '..');

interface Sighting { path: string; mode: number; dirMode: number }

function passwordFiles(dir: string, out: Sighting[]): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return; // a folder removed while we looked
  }
  for (const name of names) {
    const path = join(dir, name);
    try {
      const s = statSync(path);
      if (s.isDirectory()) passwordFiles(path, out);
      else if (name.startsWith('pg-password-')) out.push({ path, mode: s.mode & 0o777, dirMode: statSync(dirname(path)).mode & 0o777 });
    } catch {
      // gone between readdir and stat
    }
  }
}

describe('embedded PostgreSQL password files', () => {
  const base = mkdtempSync(join(tmpdir(), 'vpn-embedded-'));
  const sharedTmp = join(base, 'tmp');
  const dataDir = join(base, 'data');

  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('keeps the generated password 0600 and never lets others read the one initdb reads', async () => {
    mkdirSync(sharedTmp, { mode: 0o1777 });
    chmodSync(base, 0o755);
    mkdirSync(dataDir, { recursive: true });
    // A password file left world-readable by an older version is tightened.
    writeFileSync(join(dataDir, 'postgres-password'), 'an-old-password-kept-from-before');
    chmodSync(join(dataDir, 'postgres-password'), 0o644);

    const seen: Sighting[] = [];
    const child = spawn(process.execPath, [join(ROOT, 'scripts', 'run-ts.mjs'), join(__dirname, 'support', 'start-embedded.ts'), dataDir], {
      env: { ...process.env, TMPDIR: sharedTmp }, stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    let done = false;
    void exited.then(() => (done = true));
    while (!done) {
      passwordFiles(sharedTmp, seen);
      passwordFiles(dataDir, seen);
      await new Promise((r) => setTimeout(r, 5));
    }
    expect([await exited, stderr]).toEqual([0, '']);

    expect(statSync(join(dataDir, 'postgres-password')).mode & 0o777).toBe(0o600);
    expect(seen.length).toBeGreaterThan(0);
    for (const s of seen) {
      expect(s.path.startsWith(sharedTmp)).toBe(false);
      // Unreadable to others: by its own mode, or because only its owner may enter its folder.
      expect([s.path, (s.mode & 0o077) === 0 || (s.dirMode & 0o077) === 0]).toEqual([s.path, true]);
    }
  }, 120_000);
});
