import { Inject, Injectable } from '@nestjs/common';
import { CommonErrorCode, DomainError, type ErrorCode, type EventEnvelope } from '@vpn/contracts';
import { DataSource, isUniqueViolation, PreparedStatement, ProvisionerEntity, SagaEntity, type EntityManager } from '@vpn/db';
import type { DeviceSettings } from '../configs/config-input';
import type { RecoveryTiming } from './saga-recovery';

/** A create saga as its first and last statements write it. */
export interface CreateSagaRow {
  sagaId: string;
  userId: string;
  serverId: string;
  name: string;
  publicKey: string;
  address: string;
}

export type ChangeSagaStart = Pick<SagaEntity, 'id' | 'kind' | 'userId' | 'serverId' | 'configId' | 'publicKey' | 'address' | 'owner' | 'step'>
  & Partial<Pick<SagaEntity, 'previousPublicKey'>>;

export type RevokeSagaStart = Pick<SagaEntity, 'id' | 'userId' | 'serverId' | 'configId' | 'publicKey' | 'address' | 'owner' | 'step'>;

/**
 * Every statement of vpn.sagas. The hot ones of a create (its first and last step) are one prepared
 * statement each, spanning the lease, the config and the outbox, so each step is one round trip.
 */
@Injectable()
export class SagasRepository {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  /**
   * The saga row (its first step started) and its lease, written only while the server is at the
   * version the caller read and not in maintenance: false otherwise. Unique violations name the lease or key.
   */
  async beginCreate(s: CreateSagaRow, owner: string, firstStep: string, serverVersion: string, idempotencyKey: string | null, requestHash: string): Promise<boolean> {
    const rows = await BEGIN_CREATE.rows(this.ds, [s.sagaId, s.userId, s.serverId, idempotencyKey, requestHash, s.name, s.publicKey, s.address, owner, serverVersion, firstStep]);
    return rows.length === 1;
  }

  /** The config, the saga's end and its event, only while the saga is the owner's: the config's creation time, or null. */
  async finishCreate(s: CreateSagaRow, settings: DeviceSettings, owner: string, event: EventEnvelope, notifyChannel: string): Promise<Date | null> {
    const rows = await FINISH_CREATE.rows(this.ds, [s.sagaId, s.userId, s.serverId, s.name, s.address, s.publicKey, event.id, JSON.stringify(event), owner, notifyChannel,
      settings.dns, settings.mtu, settings.allowedIps, settings.persistentKeepalive]);
    return rows[0]?.created_at ?? null;
  }

  async beginRevoke(s: RevokeSagaStart): Promise<void> {
    await this.ds.manager.insert(SagaEntity, { ...s, kind: 'revoke', state: 'PENDING' });
  }

  /**
   * The row of a saga that changes a config in place (disable, enable, re-key), its first step
   * started, with `alongside` in the same transaction. A second live change of the config is 409.
   */
  async beginChange(s: ChangeSagaStart, alongside?: (m: EntityManager) => Promise<void>): Promise<void> {
    try {
      await this.ds.transaction(async (m) => {
        await m.insert(SagaEntity, { ...s, state: 'PENDING' });
        await alongside?.(m);
      });
    } catch (e) {
      if (isUniqueViolation(e, 'sagas_one_live_change')) throw new DomainError(CommonErrorCode.CONFLICT, 'another change of this device is running; try again');
      throw e;
    }
  }

  /** The end of a change saga, only while it is still the owner's: false when another process took it over. */
  async finishChange(m: EntityManager, id: string, owner: string): Promise<boolean> {
    const { affected } = await m.update(SagaEntity, { id, owner, state: 'PENDING' }, { state: 'DONE' });
    return affected === 1;
  }

  /** The saga's last started step; fails when another process took the saga over. */
  async markStep(id: string, step: string, owner: string): Promise<void> {
    const rows = await MARK_STEP.rows(this.ds, [id, step, owner]);
    if (rows.length === 0) throw new Error(`saga ${id} was taken over before its step ${step}`);
  }

  /** The last step of a saga that ends by freeing or committing its device slot. */
  async complete(id: string): Promise<void> {
    await this.ds.manager.update(SagaEntity, { id }, { state: 'DONE', slotCommitted: true });
  }

  async markFailed(m: EntityManager, id: string, code: ErrorCode): Promise<void> {
    await m.update(SagaEntity, { id, state: 'PENDING' }, { state: 'FAILED', errorCode: code });
  }

  byId(id: string): Promise<SagaEntity | null> {
    return this.ds.manager.findOneBy(SagaEntity, { id });
  }

  byIdempotencyKey(userId: string, idempotencyKey: string): Promise<SagaEntity | null> {
    return this.ds.manager.findOneBy(SagaEntity, { userId, idempotencyKey });
  }

  /** PENDING sagas whose owner stopped beating or that are stuck, and this process's own idle ones (a compensation to retry), oldest first. */
  orphans(timing: RecoveryTiming, self: string, limit = 100): Promise<SagaEntity[]> {
    const ms = (name: string) => `now() - (CAST(:${name} AS int) * interval '1 millisecond')`;
    return this.ds.createQueryBuilder(SagaEntity, 'sg')
      .leftJoin(ProvisionerEntity, 'p', 'p.id = sg.owner')
      .where(`sg.state = 'PENDING'`)
      .andWhere(`(p.id IS NULL OR p.heartbeat_at < ${ms('stale')} OR sg.updated_at < ${ms('stuck')}
        OR (sg.owner = :self AND sg.updated_at < ${ms('selfAfter')}))`)
      .setParameters({ stale: timing.staleAfterMs, stuck: timing.stuckAfterMs, self, selfAfter: timing.heartbeatMs })
      .orderBy('sg.created_at').limit(limit).getMany();
  }

  /** Compare-and-set on the owner: true when this process took the saga over. */
  async claim(saga: SagaEntity, owner: string): Promise<boolean> {
    const { affected } = await this.ds.createQueryBuilder().update(SagaEntity)
      .set({ owner, attempts: () => 'attempts + 1' })
      .where('id = :id AND owner = :previous AND state = :state', { id: saga.id, previous: saga.owner, state: saga.state })
      .execute();
    return affected === 1;
  }
}

const BEGIN_CREATE = new PreparedStatement<{ owner_id: string }>('vpn_saga_begin', `
  WITH current_server AS (
    SELECT 1 FROM vpn.servers WHERE id = $3::uuid AND version = $10::bigint AND NOT maintenance),
  saga AS (
    INSERT INTO vpn.sagas (id, kind, state, step, user_id, server_id, config_id, idempotency_key, request_hash, name, public_key, address, owner)
    SELECT $1::uuid, 'create', 'PENDING', $11::text, $2::uuid, $3::uuid, $1::uuid, $4::text, $5::text, $6::text, $7::text, $8::text, $9::text
    FROM current_server RETURNING id)
  INSERT INTO vpn.leases (owner_id, server_id, address, public_key) SELECT id, $3::uuid, $8::text, $7::text FROM saga RETURNING owner_id`);

const FINISH_CREATE = new PreparedStatement<{ created_at: Date }>('vpn_saga_finish', `
  WITH saga AS (
    UPDATE vpn.sagas SET state = 'DONE', slot_committed = true, updated_at = now()
    WHERE id = $1 AND state = 'PENDING' AND owner = $9 RETURNING id),
  config AS (
    INSERT INTO vpn.configs (id, user_id, server_id, name, address, public_key, dns, mtu, allowed_ips, persistent_keepalive)
    SELECT id, $2, $3, $4, $5, $6, $11::text[], $12::int, $13::text[], $14::int FROM saga RETURNING created_at),
  outbox AS (
    INSERT INTO messaging.outbox (id, type, envelope) SELECT $7, 'config.created', $8::jsonb FROM saga RETURNING id)
  SELECT config.created_at, pg_notify($10, '') FROM config`);

const MARK_STEP = new PreparedStatement<{ id: string }>('vpn_saga_step', `
  UPDATE vpn.sagas SET step = $2, updated_at = now() WHERE id = $1 AND owner = $3 AND state = 'PENDING' RETURNING id`);
