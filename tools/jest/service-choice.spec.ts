import { createServer, type Server, type Socket } from 'node:net';
import { dockerReachable } from './docker-probe';
import { chooseTestServices, LOCAL_NATS_URL, LOCAL_POSTGRES_URL, needsDocker, type TestServiceProbes } from './service-choice';

const none: TestServiceProbes = { postgresPort: false, natsPort: false, postgresBinary: false, natsBinary: false, docker: false };
const urls = { DATABASE_URL: 'postgres://u@db.example:5432/x', NATS_URL: 'nats://bus.example:4222' };

describe(chooseTestServices.name, () => {
  it('uses DATABASE_URL and NATS_URL when given, whatever the probes found', () => {
    expect(chooseTestServices(urls, { ...none, postgresPort: true, natsPort: true, docker: true })).toEqual({
      postgres: { via: 'env', url: urls.DATABASE_URL },
      nats: { via: 'env', url: urls.NATS_URL },
    });
  });

  it('takes the services on 127.0.0.1 before binaries and containers', () => {
    expect(chooseTestServices({}, { postgresPort: true, natsPort: true, postgresBinary: true, natsBinary: true, docker: true })).toEqual({
      postgres: { via: 'local', url: LOCAL_POSTGRES_URL },
      nats: { via: 'local', url: LOCAL_NATS_URL },
    });
  });

  it('starts the local binaries before containers', () => {
    expect(chooseTestServices({}, { ...none, postgresBinary: true, natsBinary: true, docker: true })).toEqual({
      postgres: { via: 'binary' },
      nats: { via: 'binary' },
    });
  });

  it('starts containers when only a Docker engine answers', () => {
    expect(chooseTestServices({}, { ...none, docker: true })).toEqual({ postgres: { via: 'container' }, nats: { via: 'container' } });
  });

  it('chooses each service on its own (a URL for one, a container for the other)', () => {
    expect(chooseTestServices({ DATABASE_URL: urls.DATABASE_URL }, { ...none, docker: true })).toEqual({
      postgres: { via: 'env', url: urls.DATABASE_URL },
      nats: { via: 'container' },
    });
    expect(chooseTestServices({}, { ...none, natsPort: true, postgresBinary: true })).toEqual({
      postgres: { via: 'binary' },
      nats: { via: 'local', url: LOCAL_NATS_URL },
    });
  });

  it('fails with one error naming the three ways when nothing is found', () => {
    const choice = chooseTestServices({}, none);
    expect('error' in choice).toBe(true);
    const error = 'error' in choice ? choice.error : '';
    expect(error).toContain('PostgreSQL and NATS with JetStream');
    expect(error).toContain('DATABASE_URL / NATS_URL');
    expect(error).toContain('127.0.0.1');
    expect(error).toContain('Docker engine');
  });

  it('names only the missing service in the error', () => {
    const choice = chooseTestServices({ DATABASE_URL: urls.DATABASE_URL }, none);
    expect('error' in choice && choice.error.startsWith('The tests need NATS with JetStream and found none')).toBe(true);
    const pgMissing = chooseTestServices({}, { ...none, natsBinary: true });
    expect('error' in pgMissing && pgMissing.error.startsWith('The tests need PostgreSQL and found none')).toBe(true);
  });
});

describe(needsDocker.name, () => {
  it('is false when every service is found without Docker', () => {
    expect(needsDocker(urls, none)).toBe(false);
    expect(needsDocker({}, { ...none, postgresPort: true, natsBinary: true })).toBe(false);
  });

  it('is true when either service has no other source', () => {
    expect(needsDocker({ DATABASE_URL: urls.DATABASE_URL }, none)).toBe(true);
    expect(needsDocker({}, { ...none, natsPort: true })).toBe(true);
  });
});

describe(dockerReachable.name, () => {
  let silent: Server;
  const sockets: Socket[] = [];
  const savedHost = process.env.DOCKER_HOST;

  beforeAll(async () => {
    // An "engine" that accepts connections and never answers /_ping: the worst case for a probe.
    silent = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  });

  afterAll(async () => {
    if (savedHost === undefined) delete process.env.DOCKER_HOST;
    else process.env.DOCKER_HOST = savedHost;
    for (const s of sockets) s.destroy();
    await new Promise((r) => silent.close(r));
  });

  it('answers false within its bound (< 3 s) when the engine never answers', async () => {
    const { port } = silent.address() as { port: number };
    process.env.DOCKER_HOST = `tcp://127.0.0.1:${port}`;
    const started = Date.now();
    await expect(dockerReachable()).resolves.toBe(false);
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});
