// Where the tests get PostgreSQL and NATS from, decided from the environment and what the probes
// found; no I/O here, so every branch is unit-tested (service-choice.spec.ts).
// Order per service: the URL variable → the service on 127.0.0.1 → a local binary → a container.

const LOCAL_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const LOCAL_NATS_URL = 'nats://127.0.0.1:4222';

const THREE_WAYS = [
  '  1. point DATABASE_URL / NATS_URL at running servers (NATS with JetStream), or',
  '  2. run them on 127.0.0.1: PostgreSQL on :5432 and `nats-server -js` on :4222 (or put nats-server on PATH), or',
  '  3. start a Docker engine (DOCKER_HOST or /var/run/docker.sock): testcontainers then runs postgres:16-alpine and nats:2.10-alpine -js.',
].join('\n');

/** @returns {{via:'env'|'local', url:string} | {via:'binary'|'container'} | null} */
function pickPostgres(env, probes) {
  if (env.DATABASE_URL) return { via: 'env', url: env.DATABASE_URL };
  if (probes.postgresPort) return { via: 'local', url: LOCAL_POSTGRES_URL };
  if (probes.postgresBinary) return { via: 'binary' };
  if (probes.docker) return { via: 'container' };
  return null;
}

function pickNats(env, probes) {
  if (env.NATS_URL) return { via: 'env', url: env.NATS_URL };
  if (probes.natsPort) return { via: 'local', url: LOCAL_NATS_URL };
  if (probes.natsBinary) return { via: 'binary' };
  if (probes.docker) return { via: 'container' };
  return null;
}

/** True when only a Docker engine could still supply something: the (slower) Docker probe is needed. */
function needsDocker(env, probes) {
  const without = { ...probes, docker: false };
  return pickPostgres(env, without) === null || pickNats(env, without) === null;
}

/**
 * @param env {{DATABASE_URL?: string, NATS_URL?: string}}
 * @param probes {{postgresPort: boolean, natsPort: boolean, postgresBinary: boolean, natsBinary: boolean, docker: boolean}}
 * @returns {{postgres: object, nats: object} | {error: string}}
 */
function chooseTestServices(env, probes) {
  const postgres = pickPostgres(env, probes);
  const nats = pickNats(env, probes);
  if (postgres && nats) return { postgres, nats };
  const missing = [postgres ? null : 'PostgreSQL', nats ? null : 'NATS with JetStream'].filter(Boolean).join(' and ');
  return { error: `The tests need ${missing} and found none. Any one of these works:\n${THREE_WAYS}` };
}

module.exports = { chooseTestServices, needsDocker, LOCAL_POSTGRES_URL, LOCAL_NATS_URL };
