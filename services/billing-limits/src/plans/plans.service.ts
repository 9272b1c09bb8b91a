import { Inject, Injectable } from '@nestjs/common';
import { BillingErrorCode, DomainError, type CommandReply, type CommandRequest, type PlanView } from '@vpn/contracts';
import { DataSource, isUniqueViolation, queryRows } from '@vpn/db';
import { appendEvent } from '@vpn/messaging';
import { parseMaxDevices, parsePlanName } from './plan-input';

interface PlanRow { id: string; name: string; max_devices: number }

export function toPlanView(r: PlanRow): PlanView {
  return { id: r.id, name: r.name, maxDevices: r.max_devices };
}

/** Plans: list, create, rename, change the device limit. */
@Injectable()
export class PlansService {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  async list(): Promise<CommandReply<'limits.plans.list'>> {
    const rows: PlanRow[] = await this.ds.query(`SELECT id, name, max_devices FROM billing.plans ORDER BY max_devices, name`);
    return rows.map(toPlanView);
  }

  async create(req: CommandRequest<'limits.plans.create'>): Promise<CommandReply<'limits.plans.create'>> {
    const name = parsePlanName(req.name);
    const maxDevices = parseMaxDevices(req.maxDevices);
    try {
      return await this.ds.transaction(async (m) => {
        const [row]: PlanRow[] = await m.query(
          `INSERT INTO billing.plans (name, max_devices) VALUES ($1, $2) RETURNING id, name, max_devices`, [name, maxDevices]);
        await appendEvent(m, 'plan.created', { planId: row.id, name, maxDevices }, { actorId: req.actorId, subject: row.id });
        return toPlanView(row);
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw new DomainError(BillingErrorCode.PLAN_NAME_TAKEN, `a plan named "${name}" exists`);
      throw e;
    }
  }

  async update(req: CommandRequest<'limits.plans.update'>): Promise<CommandReply<'limits.plans.update'>> {
    const name = req.name === undefined ? undefined : parsePlanName(req.name);
    const maxDevices = req.maxDevices === undefined ? undefined : parseMaxDevices(req.maxDevices);
    try {
      return await this.ds.transaction(async (m) => {
        const rows = await queryRows<PlanRow>(m,
          `UPDATE billing.plans SET name = COALESCE($2, name), max_devices = COALESCE($3, max_devices)
           WHERE id::text = $1 RETURNING id, name, max_devices`,
          [req.planId, name ?? null, maxDevices ?? null],
        );
        if (rows.length === 0) throw new DomainError(BillingErrorCode.PLAN_NOT_FOUND, 'no such plan');
        const row = rows[0];
        await appendEvent(m, 'plan.updated', { planId: row.id, name: row.name, maxDevices: row.max_devices }, { actorId: req.actorId, subject: row.id });
        return toPlanView(row);
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw new DomainError(BillingErrorCode.PLAN_NAME_TAKEN, `a plan named "${name}" exists`);
      throw e;
    }
  }
}
