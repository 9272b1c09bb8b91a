import { Inject, Injectable } from '@nestjs/common';
import { DataSource, PlanEntity, type EntityManager } from '@vpn/db';

/**
 * SQL for the id of the plan new accounts get: the one named by the `nameParam` placeholder (any
 * case), else the oldest. The same order as `billing.open_account`.
 */
export function defaultPlanId(nameParam: string): string {
  return `(SELECT id FROM billing.plans ORDER BY (lower(name) = lower(${nameParam})) DESC, created_at, max_devices LIMIT 1)`;
}

/** What a plan is made of (all but its id and creation time). */
export type PlanFields = Pick<PlanEntity, 'name' | 'maxDevices' | 'dataLimitBytes' | 'durationDays' | 'resetStrategy' | 'startOnFirstConnect'>;

/** billing.plans: every statement on it. */
@Injectable()
export class PlansRepository {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  list(): Promise<PlanEntity[]> {
    return this.ds.getRepository(PlanEntity).find({ order: { maxDevices: 'ASC', name: 'ASC' } });
  }

  /** Fails with a unique violation when the name is taken in any case. */
  create(m: EntityManager, plan: PlanFields): Promise<PlanEntity> {
    return m.getRepository(PlanEntity).save(m.create(PlanEntity, plan));
  }

  /** The plan, locked until the transaction ends; null when there is none. */
  findForUpdate(m: EntityManager, id: string): Promise<PlanEntity | null> {
    return m.getRepository(PlanEntity).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  findById(m: EntityManager, id: string): Promise<PlanEntity | null> {
    return m.getRepository(PlanEntity).findOneBy({ id });
  }

  /** Fails with a unique violation when the new name is taken in any case. */
  async update(m: EntityManager, plan: PlanEntity): Promise<void> {
    const { name, maxDevices, dataLimitBytes, durationDays, resetStrategy, startOnFirstConnect } = plan;
    await m.getRepository(PlanEntity).update({ id: plan.id }, { name, maxDevices, dataLimitBytes, durationDays, resetStrategy, startOnFirstConnect });
  }
}
