// PostgreSQL 16 and NATS with JetStream in containers (testcontainers 11), for machines that have
// only a Docker engine. Each returns its URL; the started containers go into state for the teardown.

async function startPostgresContainer(state) {
  const { PostgreSqlContainer } = require('@testcontainers/postgresql');
  const pg = await new PostgreSqlContainer('postgres:16-alpine').start();
  state.containers.push(pg);
  return pg.getConnectionUri();
}

async function startNatsContainer(state) {
  const { GenericContainer, Wait } = require('testcontainers');
  const nats = await new GenericContainer('nats:2.10-alpine')
    .withCommand(['-js'])
    .withExposedPorts(4222)
    .withWaitStrategy(Wait.forListeningPorts())
    .start();
  state.containers.push(nats);
  return `nats://${nats.getHost()}:${nats.getMappedPort(4222)}`;
}

module.exports = { startPostgresContainer, startNatsContainer };
