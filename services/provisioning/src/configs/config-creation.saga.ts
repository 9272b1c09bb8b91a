import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CommonErrorCode, DomainError, isErrorCode, isUuid, VpnErrorCode, type CommandReply, type CommandRequest } from '@vpn/contracts';
import { DataSource, isUniqueViolation, PreparedStatement, queryRows } from '@vpn/db';
import { appendEvent, newEvent, OUTBOX_PROCESS_CHANNEL } from '@vpn/messaging';
import { LOGGER } from '@vpn/platform';
import { faultPoint, type Logger } from '@vpn/runtime';
import { SshError } from '@vpn/ssh';
import { hostCidr, type IpAddress, type WgPublicKey } from '@vpn/wireguard';
import { parseDisplayName } from '../servers/server-input';
import type { Server } from '@vpn/vpn-core';
import { ServersRepository } from '../servers/servers.repository';
import { AddressAllocators } from './address-allocators';
import { CONFIG_SELECT, toConfigView, type ConfigRow } from './config-record';
import { parseClientPublicKey, parseDeviceKeyFor, parseIdempotencyKey } from './config-input';
import { timedStep } from '../metrics/provisioning-metrics';
import { LimitsClient } from './limits-client';
import { PeerBatcher } from './peer-batcher';
import { ProvisionerInstance } from './provisioner-instance';
import type { SagaRow } from './saga-record';

type CreateRequest = CommandRequest<'config.create'>;
type CreateReply = CommandReply<'config.create'>;

const ADDRESS_ATTEMPTS = 50;

/**
 * Makes a config, or nothing. The saga row (with its address and key lease) is written first; the
 * `vpn.configs` row only after the server has the peer. Each step that may have changed something
 * pushes its compensation before it runs (a timeout leaves the outcome unknown, and every
 * compensation is idempotent); a failure unwinds them last-in first-out and ends the saga FAILED.
 * A crash leaves the saga PENDING for `SagaRecovery`.
 */
@Injectable()
export class ConfigCreationSaga {
  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(LimitsClient) private readonly limits: LimitsClient,
    @Inject(ServersRepository) private readonly servers: ServersRepository,
    @Inject(AddressAllocators) private readonly allocators: AddressAllocators,
    @Inject(PeerBatcher) private readonly peers: PeerBatcher,
    @Inject(ProvisionerInstance) private readonly instance: ProvisionerInstance,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async run(req: CreateRequest): Promise<CreateReply> {
    if (!isUuid(req.userId)) throw new DomainError(CommonErrorCode.VALIDATION_FAILED, 'userId must be a UUID');
    const name = parseDisplayName(req.name);
    const publicKey = parseClientPublicKey(req.publicKey);
    const idempotencyKey = parseIdempotencyKey(req.idempotencyKey);
    const requestHash = createHash('sha256').update(`${req.serverId}\n${name}`).digest('hex');
    if (idempotencyKey) {
      const earlier = await this.findByIdempotencyKey(req.userId, idempotencyKey);
      if (earlier) return this.replay(earlier, requestHash);
    }
    let server = isUuid(req.serverId) ? await this.servers.remembered(req.serverId) : null;
    if (server?.maintenance) server = await this.servers.find(server.id); // remembered may be old news
    if (!server) throw notFound();
    if (server.maintenance) throw inMaintenance(server);
    parseDeviceKeyFor(server, publicKey);

    const sagaId = randomUUID();
    let begun: { address: IpAddress; server: Server };
    try {
      const known = server;
      begun = await timedStep('begin', () => this.begin(sagaId, req.userId, known, name, publicKey, idempotencyKey, requestHash));
    } catch (e) {
      if (e instanceof IdempotentRace && idempotencyKey) {
        const earlier = await this.findByIdempotencyKey(req.userId, idempotencyKey);
        if (earlier) return this.replay(earlier, requestHash);
      }
      throw e;
    }
    faultPoint('saga.after-row');
    const { address, server: current } = begun;
    return this.instance.track(sagaId, () => this.provision(sagaId, req.userId, current, name, publicKey, address));
  }

  /**
   * Step 1: the saga row and its lease (address unique per server, key unique), in one statement,
   * written only while the server is as this process knows it (same version, not in maintenance):
   * otherwise the server is read again and the step retried — or refused, if it went away.
   */
  private async begin(
    sagaId: string, userId: string, known: Server, name: string, publicKey: WgPublicKey,
    idempotencyKey: string | null, requestHash: string,
  ): Promise<{ address: IpAddress; server: Server }> {
    let server = known;
    for (let attempt = 0; attempt < ADDRESS_ATTEMPTS; attempt++) {
      const address = await this.allocators.allocate(server);
      if (!address) throw new DomainError(VpnErrorCode.ADDRESS_POOL_EXHAUSTED, `${server.name} has no free addresses`);
      let written: Array<{ owner_id: string }>;
      try {
        written = await BEGIN_SAGA.rows(this.ds,
          [sagaId, userId, server.id, idempotencyKey, requestHash, name, publicKey, address, this.instance.id, server.version]);
      } catch (e) {
        if (isUniqueViolation(e, 'leases_address_key')) {
          await this.allocators.conflict(server, address); // another replica took it
          continue;
        }
        this.allocators.release(server.id, address);
        if (isUniqueViolation(e, 'leases_public_key_key')) throw new DomainError(VpnErrorCode.PUBLIC_KEY_IN_USE, 'this public key is already used by a config');
        if (isUniqueViolation(e, 'sagas_idempotency_key')) throw new IdempotentRace();
        throw e;
      }
      if (written.length === 1) {
        this.allocators.settled(server.id, address);
        return { address, server };
      }
      // The server changed, went into maintenance or away since this process read it: read it again.
      this.allocators.release(server.id, address);
      const fresh = await this.servers.find(server.id);
      if (!fresh) throw notFound();
      if (fresh.maintenance) throw inMaintenance(fresh);
      if (fresh.pool.cidr !== server.pool.cidr) this.allocators.forget(server.id);
      server = fresh;
    }
    throw new DomainError(CommonErrorCode.SERVICE_UNAVAILABLE, 'could not take an address; try again');
  }

  private async provision(sagaId: string, userId: string, server: Server, name: string, publicKey: WgPublicKey, address: IpAddress): Promise<CreateReply> {
    const compensations: Array<{ name: string; run: () => Promise<void> }> = [];
    let row: ConfigRow;
    try {
      // Step 2: a device slot. Compensation first: a lost reply may still have reserved it.
      compensations.push({ name: 'release slot', run: () => this.limits.release(sagaId) });
      await timedStep('reserve', () => this.limits.reserve(userId, sagaId));

      // Steps 3 and 4 at once: the peer on the server (coalesced with other additions to this server)
      // and the slot made a device. Both are undone by the compensations above if either fails.
      compensations.push({ name: 'remove peer', run: () => this.peers.remove(server.id, server.target, server.interface, publicKey) });
      const [added, committed] = await Promise.allSettled([
        timedStep('peer_add', () => this.peers.add(server.id, server.target, server.interface, { publicKey, allowedIps: [hostCidr(address)] })),
        timedStep('slot_commit', () => this.limits.commit(sagaId, sagaId, userId)),
      ]);
      if (added.status === 'rejected') {
        const e: unknown = added.reason;
        // Refused before the command started (unreachable, wrong host key…): there is no peer to remove.
        if (e instanceof SshError && !e.commandMayHaveRun) compensations.pop();
        this.logger.warn({ sagaId, serverId: server.id, err: (e as Error).message }, 'adding the peer failed');
        throw new DomainError(VpnErrorCode.PROVISIONING_FAILED, `${server.name} could not be changed; nothing was stored and your device slot is free again`);
      }
      faultPoint('saga.after-peer-add');
      if (committed.status === 'rejected') throw committed.reason;

      // Step 5: the config row, the saga's end and the event — one statement, so one commit. The
      // saga must still be PENDING and ours: if recovery took it over meanwhile, nothing is written.
      const event = newEvent('config.created', { configId: sagaId, userId, serverId: server.id, name, address: `${address}/32`, publicKey }, { actorId: userId, subject: sagaId });
      const written = await timedStep('finish', () => FINISH_SAGA.rows(this.ds,
        [sagaId, userId, server.id, name, address, publicKey, event.id, JSON.stringify(event), this.instance.id, OUTBOX_PROCESS_CHANNEL]));
      if (written.length !== 1) throw new DomainError(VpnErrorCode.PROVISIONING_FAILED, 'the saga was taken over before it could finish');
      row = {
        id: sagaId, user_id: userId, server_id: server.id, server_name: server.name, name, address, public_key: publicKey,
        status: 'active', created_at: written[0].created_at, last_handshake_at: null, rx_total: null, tx_total: null,
      };
    } catch (e) {
      await this.compensate(sagaId, userId, server, address, compensations, e);
      throw e instanceof DomainError ? e : new DomainError(VpnErrorCode.PROVISIONING_FAILED, 'the config could not be stored; nothing was kept');
    }
    faultPoint('saga.after-commit');
    return { config: toConfigView(row), server: { publicKey: server.publicKey, endpoint: server.endpoint, dns: server.dns }, replayed: false };
  }

  private async compensate(sagaId: string, userId: string, server: Server, address: IpAddress, compensations: Array<{ name: string; run: () => Promise<void> }>, cause: unknown): Promise<void> {
    const code = cause instanceof DomainError ? cause.code : VpnErrorCode.PROVISIONING_FAILED;
    let allDone = true;
    for (const c of compensations.reverse()) {
      try {
        await c.run();
      } catch (e) {
        // The others still run (a slot is freed even when the server is away); the saga stays
        // PENDING with its lease, and recovery retries every compensation later. Never swallowed.
        allDone = false;
        this.logger.error({ sagaId, step: c.name, err: (e as Error).message }, 'compensation failed; saga left for recovery');
      }
    }
    if (!allDone) return;
    try {
      await this.ds.transaction(async (m) => {
        await m.query(`DELETE FROM vpn.leases WHERE owner_id = $1`, [sagaId]);
        await m.query(`UPDATE vpn.sagas SET state = 'FAILED', error_code = $2, updated_at = now() WHERE id = $1 AND state = 'PENDING'`, [sagaId, code]);
        await appendEvent(m, 'config.provisioning_failed', { sagaId, userId, serverId: server.id, code }, { subject: sagaId });
      });
      this.allocators.release(server.id, address);
    } catch (e) {
      this.logger.error({ sagaId, err: (e as Error).message }, 'could not mark the saga failed; recovery will');
    }
  }

  private async findByIdempotencyKey(userId: string, key: string): Promise<SagaRow | null> {
    const rows = await queryRows<SagaRow>(this.ds, `SELECT * FROM vpn.sagas WHERE user_id = $1 AND idempotency_key = $2`, [userId, key]);
    return rows[0] ?? null;
  }

  /** The same key from the same user: the same outcome, never a second config. */
  private async replay(saga: SagaRow, requestHash: string): Promise<CreateReply> {
    if (saga.request_hash !== requestHash) {
      throw new DomainError(VpnErrorCode.IDEMPOTENCY_KEY_REUSED, 'this Idempotency-Key was used for a different request');
    }
    let current = saga;
    for (let i = 0; current.state === 'PENDING' && i < 300; i++) {
      await new Promise((r) => setTimeout(r, 50));
      current = (await queryRows<SagaRow>(this.ds, `SELECT * FROM vpn.sagas WHERE id = $1`, [saga.id]))[0];
    }
    if (current.state === 'PENDING') throw new DomainError(CommonErrorCode.CONFLICT, 'the first request with this Idempotency-Key is still running');
    if (current.state === 'FAILED') {
      const code = isErrorCode(current.error_code) ? current.error_code : VpnErrorCode.PROVISIONING_FAILED;
      throw new DomainError(code, 'the first request with this Idempotency-Key failed');
    }
    const [row] = await queryRows<ConfigRow>(this.ds, `${CONFIG_SELECT} WHERE c.id = $1`, [current.config_id]);
    if (!row) throw new DomainError(VpnErrorCode.CONFIG_NOT_FOUND, 'the config made with this Idempotency-Key was revoked');
    const server = await this.servers.find(row.server_id);
    if (!server) throw new DomainError(VpnErrorCode.SERVER_NOT_FOUND, 'no such server');
    return { config: toConfigView(row), server: { publicKey: server.publicKey, endpoint: server.endpoint, dns: server.dns }, replayed: true };
  }
}

class IdempotentRace extends Error {}

const notFound = (): DomainError => new DomainError(VpnErrorCode.SERVER_NOT_FOUND, 'no such server');
const inMaintenance = (server: Server): DomainError =>
  new DomainError(VpnErrorCode.SERVER_MAINTENANCE, `${server.name} is in maintenance; pick another server or try later`);

/** Step 1 in one statement: the saga row and its lease, only while the server is at the version the caller read. */
const BEGIN_SAGA = new PreparedStatement<{ owner_id: string }>('vpn_saga_begin', `
  WITH current_server AS (
    SELECT 1 FROM vpn.servers WHERE id = $3::uuid AND version = $10::bigint AND NOT maintenance),
  saga AS (
    INSERT INTO vpn.sagas (id, kind, state, user_id, server_id, config_id, idempotency_key, request_hash, name, public_key, address, owner)
    SELECT $1::uuid, 'create', 'PENDING', $2::uuid, $3::uuid, $1::uuid, $4::text, $5::text, $6::text, $7::text, $8::text, $9::text
    FROM current_server RETURNING id)
  INSERT INTO vpn.leases (owner_id, server_id, address, public_key) SELECT id, $3::uuid, $8::text, $7::text FROM saga RETURNING owner_id`);

/** Step 5 in one statement: the config row, the saga's end and the event (only while the saga is still ours). */
const FINISH_SAGA = new PreparedStatement<{ created_at: Date }>('vpn_saga_finish', `
  WITH saga AS (
    UPDATE vpn.sagas SET state = 'DONE', slot_committed = true, updated_at = now()
    WHERE id = $1 AND state = 'PENDING' AND owner = $9 RETURNING id),
  config AS (
    INSERT INTO vpn.configs (id, user_id, server_id, name, address, public_key)
    SELECT id, $2, $3, $4, $5, $6 FROM saga RETURNING created_at),
  outbox AS (
    INSERT INTO messaging.outbox (id, type, envelope) SELECT $7, 'config.created', $8::jsonb FROM saga RETURNING id)
  SELECT config.created_at, pg_notify($10, '') FROM config`);
