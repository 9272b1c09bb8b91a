import { gatewayService } from '../src';
import { startStack, type TestStack } from '../../test/support/stack';

describe('GET /api/health', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startStack({ services: [gatewayService], label: 'health' });
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
