import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import type { CommandReply, CommandRequest } from '@vpn/contracts';
import { CommandPattern } from '@vpn/messaging';
import { PlansService } from './plans/plans.service';
import { DeviceSlotsService } from './slots/device-slots.service';

/** The billing-limits service's commands on the bus (queue group `billing-limits`): each one delegates to its domain service. */
@Controller()
export class BillingLimitsCommandsController {
  constructor(
    private readonly plans: PlansService,
    private readonly deviceSlots: DeviceSlotsService,
  ) {}

  @CommandPattern('limits.plans.list')
  plansList(): Promise<CommandReply<'limits.plans.list'>> {
    return this.plans.list();
  }

  @CommandPattern('limits.plans.create')
  plansCreate(@Payload() req: CommandRequest<'limits.plans.create'>): Promise<CommandReply<'limits.plans.create'>> {
    return this.plans.create(req);
  }

  @CommandPattern('limits.plans.update')
  plansUpdate(@Payload() req: CommandRequest<'limits.plans.update'>): Promise<CommandReply<'limits.plans.update'>> {
    return this.plans.update(req);
  }

  @CommandPattern('limits.account')
  account(@Payload() req: CommandRequest<'limits.account'>): Promise<CommandReply<'limits.account'>> {
    return this.deviceSlots.account(req);
  }

  @CommandPattern('limits.accounts')
  accounts(@Payload() req: CommandRequest<'limits.accounts'>): Promise<CommandReply<'limits.accounts'>> {
    return this.deviceSlots.accounts(req);
  }

  @CommandPattern('limits.assign-plan')
  assignPlan(@Payload() req: CommandRequest<'limits.assign-plan'>): Promise<CommandReply<'limits.assign-plan'>> {
    return this.deviceSlots.assignPlan(req);
  }

  @CommandPattern('limits.reserve')
  reserve(@Payload() req: CommandRequest<'limits.reserve'>): Promise<CommandReply<'limits.reserve'>> {
    return this.deviceSlots.reserve(req);
  }

  @CommandPattern('limits.reserve-many')
  reserveMany(@Payload() req: CommandRequest<'limits.reserve-many'>): Promise<CommandReply<'limits.reserve-many'>> {
    return this.deviceSlots.reserveMany(req);
  }

  @CommandPattern('limits.commit-many')
  commitMany(@Payload() req: CommandRequest<'limits.commit-many'>): Promise<CommandReply<'limits.commit-many'>> {
    return this.deviceSlots.commitMany(req);
  }

  @CommandPattern('limits.commit')
  commit(@Payload() req: CommandRequest<'limits.commit'>): Promise<CommandReply<'limits.commit'>> {
    return this.deviceSlots.commit(req);
  }

  @CommandPattern('limits.release')
  release(@Payload() req: CommandRequest<'limits.release'>): Promise<CommandReply<'limits.release'>> {
    return this.deviceSlots.release(req);
  }
}
