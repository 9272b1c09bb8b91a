import { gatewayService } from '../src';
import { authService } from '../../test/support/services';
import { startStack, type TestStack } from '../../test/support/stack';

describe('GET /api/health', () => {
  let stack: TestStack;

  beforeAll(async () => {
    // The gateway has no database: its `db` check is auth's answer over the bus.
    stack = await startStack({ services: [authService, gatewayService], label: 'health' });
  });

  afterAll(async () => {
    await stack.stop();
  });

  it('reports db and bus up with 200 when both answer', async () => {
    const res = await fetch(`${stack.url}/api/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', checks: { db: 'up', bus: 'up' } });
  });
});
