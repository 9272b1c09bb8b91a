import { Inject, Injectable } from '@nestjs/common';
import { BillingErrorCode, DomainError, isUuid, type CommandReply, type CommandRequest, type PlanTerms, type PlanView } from '@vpn/contracts';
import { DataSource, isUniqueViolation, type PlanEntity } from '@vpn/db';
import { appendEvent } from '@vpn/messaging';
import { parseMaxDevices, parsePlanName, parsePlanTerms } from './plan-input';
import { PlansRepository } from './plans.repository';

/** Terms of a plan that states none: unlimited traffic, no expiry, no reset, starts at once. */
export const UNLIMITED_TERMS: PlanTerms = { dataLimitBytes: null, durationDays: null, resetStrategy: 'NO_RESET', startOnFirstConnect: false };

export function planTerms(p: PlanTerms): PlanTerms {
  return { dataLimitBytes: p.dataLimitBytes, durationDays: p.durationDays, resetStrategy: p.resetStrategy, startOnFirstConnect: p.startOnFirstConnect };
}

export function toPlanView(p: Pick<PlanEntity, 'id' | 'name' | 'maxDevices'> & PlanTerms): PlanView {
  return { id: p.id, name: p.name, maxDevices: p.maxDevices, ...planTerms(p) };
}

/** Plans: list, create, rename, change the device limit and the subscription terms. */
@Injectable()
export class PlansService {
  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(PlansRepository) private readonly plans: PlansRepository,
  ) {}

  async list(): Promise<CommandReply<'limits.plans.list'>> {
    return (await this.plans.list()).map(toPlanView);
  }

  async create(req: CommandRequest<'limits.plans.create'>): Promise<CommandReply<'limits.plans.create'>> {
    const name = parsePlanName(req.name);
    const maxDevices = parseMaxDevices(req.maxDevices);
    const terms = { ...UNLIMITED_TERMS, ...parsePlanTerms(req) };
    return this.nameTaken(name, () => this.ds.transaction(async (m) => {
      const plan = await this.plans.create(m, { name, maxDevices, ...terms });
      await appendEvent(m, 'plan.created', { planId: plan.id, name, maxDevices, ...terms }, { actorId: req.actorId, subject: plan.id });
      return toPlanView(plan);
    }));
  }

  /** Changed terms apply to subscriptions started from now on; running ones keep the terms they started with. */
  async update(req: CommandRequest<'limits.plans.update'>): Promise<CommandReply<'limits.plans.update'>> {
    const name = req.name === undefined ? undefined : parsePlanName(req.name);
    const maxDevices = req.maxDevices === undefined ? undefined : parseMaxDevices(req.maxDevices);
    const terms = parsePlanTerms(req);
    const planId = req.planId;
    if (!isUuid(planId)) throw new DomainError(BillingErrorCode.PLAN_NOT_FOUND, 'no such plan');
    return this.nameTaken(name, () => this.ds.transaction(async (m) => {
      const plan = await this.plans.findForUpdate(m, planId);
      if (!plan) throw new DomainError(BillingErrorCode.PLAN_NOT_FOUND, 'no such plan');
      Object.assign(plan, { name: name ?? plan.name, maxDevices: maxDevices ?? plan.maxDevices }, terms);
      await this.plans.update(m, plan);
      await appendEvent(m, 'plan.updated', { planId: plan.id, name: plan.name, maxDevices: plan.maxDevices, ...planTerms(plan) }, { actorId: req.actorId, subject: plan.id });
      return toPlanView(plan);
    }));
  }

  /** A unique violation of a plan's name is PLAN_NAME_TAKEN. */
  private async nameTaken<T>(name: string | undefined, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (e) {
      if (isUniqueViolation(e)) throw new DomainError(BillingErrorCode.PLAN_NAME_TAKEN, `a plan named "${name}" exists`);
      throw e;
    }
  }
}
