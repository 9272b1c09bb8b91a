import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { HealthView } from '@vpn/contracts';
import { ReadinessService } from '@vpn/platform';
import { Public } from '../common';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(private readonly readiness: ReadinessService) {}

  /** Ready when the database and the bus answer; 503 otherwise, so load balancers stop sending traffic. */
  @Get()
  @Public()
  @ApiOkResponse({ description: '{status: "ok", checks: {db, bus}}' })
  @ApiServiceUnavailableResponse({ description: 'a dependency is down' })
  async health(@Res({ passthrough: true }) res: Response): Promise<HealthView> {
    const h = await this.readiness.check();
    res.status(h.status === 'ok' ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return h;
  }
}
