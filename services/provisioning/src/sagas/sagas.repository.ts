import { Inject, Injectable } from '@nestjs/common';
import type { ErrorCode } from '@vpn/contracts';
import { DataSource, PreparedStatement, ProvisionerEntity, SagaEntity, type EntityManager } from '@vpn/db';

/** What a create saga's first statement writes: its row (first step started) and its lease. */
export interface CreateSagaStart {
  sagaId: string;
  userId: string;
  serverId: string;
  /** The server's version the caller read: nothing is written when it changed meanwhile. */
  serverVersion: string;
  idempotencyKey: string | null;
  requestHash: string;
  name: string;
  publicKey: string;
  address: string;
  owner: string;
  firstStep: string;
}

/** What a create saga's last statement writes: its config, its end and its event, only while the saga is the owner's. */
export interface CreateSagaFinish {
  sagaId: string;
  userId: string;
  serverId: string;
  name: string;
  address: string;
  publicKey: string;
  owner: string;
  eventId: string;
  envelope: string;
  notifyChannel: string;
}

export type RevokeSagaStart = Pick<SagaEntity, 'id' | 'userId' | 'serverId' | 'configId' | 'publicKey' | 'address' | 'owner' | 'step'>;

/** When a saga counts as left behind by its owner. */
export interface OrphanRule {
  /** An owner whose heartbeat is older than this is gone. */
  staleAfterMs: number;
  /** A saga untouched for this long is stuck, whoever owns it. */
  stuckAfterMs: number;
  /** This process: its own saga untouched this long is a compensation to retry now. */
  self: string;
  selfAfterMs: number;
}

/**
 * Every statement of vpn.sagas. The hot ones of a create (its first and last step) are one prepared
 * statement each, spanning the lease, the config and the outbox, so each step is one round trip.
 */
@Injectable()
export class SagasRepository {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  /** True when written; false when the server changed, went into maintenance or away. Unique violations name the lease or key. */
  async beginCreate(s: CreateSagaStart): Promise<boolean> {
    const rows = await BEGIN_CREATE.rows(this.ds, [s.sagaId, s.userId, s.serverId, s.idempotencyKey, s.requestHash, s.name, s.publicKey, s.address, s.owner, s.serverVersion, s.firstStep]);
    return rows.length === 1;
  }

  /** The config's creation time; null when the saga was taken over before it could finish. */
  async finishCreate(f: CreateSagaFinish): Promise<Date | null> {
    const rows = await FINISH_CREATE.rows(this.ds, [f.sagaId, f.userId, f.serverId, f.name, f.address, f.publicKey, f.eventId, f.envelope, f.owner, f.notifyChannel]);
    return rows[0]?.created_at ?? null;
  }

  async beginRevoke(s: RevokeSagaStart): Promise<void> {
    await this.ds.manager.insert(SagaEntity, { ...s, kind: 'revoke', state: 'PENDING' });
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

  /** PENDING sagas whose owner stopped beating, or that are stuck, oldest first. */
  orphans(rule: OrphanRule, limit = 100): Promise<SagaEntity[]> {
    const ms = (name: string) => `now() - (CAST(:${name} AS int) * interval '1 millisecond')`;
    return this.ds.createQueryBuilder(SagaEntity, 'sg')
      .leftJoin(ProvisionerEntity, 'p', 'p.id = sg.owner')
      .where(`sg.state = 'PENDING'`)
      .andWhere(`(p.id IS NULL OR p.heartbeat_at < ${ms('stale')} OR sg.updated_at < ${ms('stuck')}
        OR (sg.owner = :self AND sg.updated_at < ${ms('selfAfter')}))`)
      .setParameters({ stale: rule.staleAfterMs, stuck: rule.stuckAfterMs, self: rule.self, selfAfter: rule.selfAfterMs })
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
    INSERT INTO vpn.configs (id, user_id, server_id, name, address, public_key)
    SELECT id, $2, $3, $4, $5, $6 FROM saga RETURNING created_at),
  outbox AS (
    INSERT INTO messaging.outbox (id, type, envelope) SELECT $7, 'config.created', $8::jsonb FROM saga RETURNING id)
  SELECT config.created_at, pg_notify($10, '') FROM config`);

const MARK_STEP = new PreparedStatement<{ id: string }>('vpn_saga_step', `
  UPDATE vpn.sagas SET step = $2, updated_at = now() WHERE id = $1 AND owner = $3 AND state = 'PENDING' RETURNING id`);
