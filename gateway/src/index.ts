import type { INestApplication } from '@nestjs/common';
import type { RunningService, ServiceDefinition } from '@vpn/platform';
import { createGatewayApp } from './gateway.app';

export { createGatewayApp } from './gateway.app';

export const gatewayService: ServiceDefinition = {
  name: 'gateway',
  async start(ctx): Promise<RunningService & { url: string; app: INestApplication }> {
    const app = await createGatewayApp(ctx);
    await app.listen(ctx.config.port, '0.0.0.0');
    const address = app.getHttpServer().address() as { port: number };
    return { url: `http://127.0.0.1:${address.port}`, app, stop: () => app.close() };
  },
};
