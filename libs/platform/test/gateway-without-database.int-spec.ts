import { startStack, type TestStack } from '../../../test/support/stack';
import { authService, gatewayService } from '../../../test/support/services';
import { freePort, ServiceProcess } from '../../../test/support/service-process';
import { testNatsUrl } from '@vpn/testing';

async function health(url: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${url}/api/health`);
  return { status: res.status, body: await res.json() };
}

/** Connections the gateway's process holds to the test database (it should hold none). */
async function gatewayConnections(stack: TestStack): Promise<number> {
  const rows = await stack.dataSource.query<Array<{ n: string }>>(
    `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'gateway'`,
  );
  return Number(rows[0].n);
}

describe('a gateway without a database', () => {
  describe('as its own process, next to auth', () => {
    let stack: TestStack;
    let gateway: ServiceProcess;
    let url: string;
    beforeAll(async () => {
      stack = await startStack({ services: [authService], label: 'gw-nodb' });
      const port = await freePort();
      // No DATABASE_URL at all: the gateway must neither need nor open one.
      const env: Record<string, string> = { NATS_URL: testNatsUrl(), NATS_SUBJECT_PREFIX: stack.bus.prefix, PORT: String(port), DATA_DIR: stack.dataDir };
      gateway = await ServiceProcess.start('gateway', { ...env, DATABASE_URL: '' });
      await gateway.ready();
      url = `http://127.0.0.1:${port}`;
    }, 60_000);
    afterAll(async () => {
      await gateway?.kill('SIGTERM');
      await stack?.stop();
    });

    it('reports the database as auth sees it over the bus', async () => {
      expect(await health(url)).toEqual({ status: 200, body: { status: 'ok', checks: { db: 'up', bus: 'up' } } });
    });

    it('holds no database connection', async () => {
      expect(await gatewayConnections(stack)).toBe(0);
    });
  });

  describe('with nobody answering for the database', () => {
    let stack: TestStack;
    beforeAll(async () => {
      stack = await startStack({ services: [gatewayService], label: 'gw-alone' });
    });
    afterAll(() => stack?.stop());

    it('answers 503 with db down and bus up', async () => {
      expect(await health(stack.url)).toEqual({ status: 503, body: { status: 'unavailable', checks: { db: 'down', bus: 'up' } } });
    });
  });
});
