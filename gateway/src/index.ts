import type { INestApplication } from '@nestjs/common';
import { ReadinessService, type RunningService, type ServiceDefinition } from '@vpn/platform';
import { GatewayMetrics, listenForMetrics } from './common';
import { createGatewayApp } from './gateway.app';

export { createGatewayApp } from './gateway.app';

export const gatewayService: ServiceDefinition = {
  name: 'gateway',
  /** No database: its health reports the database through `health.database`, throttling and token state go over the bus. */
  needs: ['bus'],
  async start(ctx): Promise<RunningService & { url: string; metricsUrl?: string; app: INestApplication }> {
    const app = await createGatewayApp(ctx);
    await app.listen(ctx.config.port, '0.0.0.0');
    const address = app.getHttpServer().address() as { port: number };
    const metrics = ctx.config.metricsPort === undefined ? undefined : await listenForMetrics(
      ctx.config.metricsPort, app.get(GatewayMetrics), () => app.get(ReadinessService, { strict: false }).check(),
    );
    const stop = async () => {
      await metrics?.close();
      await app.close();
    };
    return { url: `http://127.0.0.1:${address.port}`, metricsUrl: metrics?.url, app, stop };
  },
};
