import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { BILLING_ACCOUNT_EVENTS, CONSUMERS, type CommandReply, type CommandRequest, type EventEnvelope } from '@vpn/contracts';
import { CommandPattern, EventContext, EventsPattern } from '@vpn/messaging';
import { PlansService } from './plans/plans.service';
import { DeviceSlotsService } from './slots/device-slots.service';
import { SubscriptionsService } from './subscriptions/subscriptions.service';

/** The billing-limits service on the bus: its commands (queue group `billing-limits`) and auth's account events, each delegated to its domain service. */
@Controller()
export class BillingLimitsCommandsController {
  constructor(
    private readonly plans: PlansService,
    private readonly deviceSlots: DeviceSlotsService,
    private readonly subscriptions: SubscriptionsService,
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
    return this.subscriptions.assignPlan(req);
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

  @CommandPattern('limits.subscription.update')
  subscriptionUpdate(@Payload() req: CommandRequest<'limits.subscription.update'>): Promise<CommandReply<'limits.subscription.update'>> {
    return this.subscriptions.update(req);
  }

  @CommandPattern('limits.subscription.renew')
  subscriptionRenew(@Payload() req: CommandRequest<'limits.subscription.renew'>): Promise<CommandReply<'limits.subscription.renew'>> {
    return this.subscriptions.renew(req);
  }

  @CommandPattern('limits.subscription.top-up')
  subscriptionTopUp(@Payload() req: CommandRequest<'limits.subscription.top-up'>): Promise<CommandReply<'limits.subscription.top-up'>> {
    return this.subscriptions.topUp(req);
  }

  @CommandPattern('limits.subscription.reset-usage')
  subscriptionResetUsage(@Payload() req: CommandRequest<'limits.subscription.reset-usage'>): Promise<CommandReply<'limits.subscription.reset-usage'>> {
    return this.subscriptions.resetUsage(req);
  }

  @CommandPattern('limits.usage.record')
  usageRecord(@Payload() req: CommandRequest<'limits.usage.record'>): Promise<CommandReply<'limits.usage.record'>> {
    return this.subscriptions.recordUsage(req);
  }

  @CommandPattern('limits.activate-on-handshake')
  activateOnHandshake(@Payload() req: CommandRequest<'limits.activate-on-handshake'>): Promise<CommandReply<'limits.activate-on-handshake'>> {
    return this.subscriptions.activateOnHandshake(req);
  }

  /** A disabled account is DISABLED: exactly once, in the transaction of the consumer's inbox row. */
  @EventsPattern({ consumer: CONSUMERS.billingAccounts, types: BILLING_ACCOUNT_EVENTS })
  userUpdated(@Payload() event: EventEnvelope<(typeof BILLING_ACCOUNT_EVENTS)[number]>, @Ctx() ctx: EventContext): Promise<void> {
    return this.subscriptions.onUserUpdated(event, ctx.manager);
  }
}
