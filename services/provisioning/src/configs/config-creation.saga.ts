import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CommonErrorCode, DomainError, isErrorCode, isUuid, VpnErrorCode, type CommandReply, type CommandRequest, type ErrorCode } from '@vpn/contracts';
import { DataSource, isUniqueViolation, type SagaEntity } from '@vpn/db';
import { appendEvent, newEvent, OUTBOX_PROCESS_CHANNEL } from '@vpn/messaging';
import { LOGGER } from '@vpn/platform';
import { faultPoint, type Logger } from '@vpn/runtime';
import { SshError } from '@vpn/ssh';
import { hostCidr, parseIpAddress, parsePublicKey, type IpAddress, type WgPublicKey } from '@vpn/wireguard';
import { parseDisplayName } from '../servers/server-input';
import type { Server } from '../servers/server-record';
import { ServersRepository } from '../servers/servers.repository';
import { NothingDone, type SagaDefinition, type SagaStep } from '../sagas/saga-definition';
import { SagaRunner } from '../sagas/saga-runner';
import { SagasRepository, type CreateSagaRow } from '../sagas/sagas.repository';
import { ProvisionerInstance } from '../sagas/provisioner-instance';
import { AddressAllocators } from './address-allocators';
import { toConfigView } from './config-record';
import { ConfigsRepository } from './configs.repository';
import { DEFAULT_DEVICE_SETTINGS, parseClientPublicKey, parseDeviceKeyFor, parseDeviceOptions, parseIdempotencyKey, type DeviceSettings } from './config-input';
import { timedStep } from '../metrics/provisioning-metrics';
import { LimitsClient } from './limits-client';
import { PeerBatcher } from './peer-batcher';

type CreateRequest = CommandRequest<'config.create'>;
type CreateReply = CommandReply<'config.create'>;

const ADDRESS_ATTEMPTS = 50;

/** What the steps of one create share; rebuilt from the saga row by recovery (its server may be gone then). */
interface CreateContext extends CreateSagaRow {
  server: Server | null;
  publicKey: WgPublicKey;
  address: IpAddress;
  /** The device's client options (not the server's business; written with the config). */
  settings: DeviceSettings;
  /** Set by the last step. */
  createdAt: Date | null;
}

/**
 * Makes a config, or nothing. The saga row (with its address and key lease) is written first; the
 * `vpn.configs` row only after the server has the peer. A failure, or a crash found by recovery,
 * undoes the started steps last-in first-out (SagaRunner) and ends the saga FAILED.
 */
@Injectable()
export class ConfigCreationSaga implements SagaDefinition<CreateContext> {
  readonly kind = 'create';
  readonly onCrash = 'compensate';
  readonly steps: ReadonlyArray<SagaStep<CreateContext>> = [
    // A lost reply may still have reserved the slot: its release is idempotent.
    { name: 'reserve-slot', run: (c) => timedStep('reserve', () => this.limits.reserve(c.userId, c.sagaId)), undo: (c) => this.limits.release(c.sagaId) },
    { name: 'add-peer', run: (c) => this.addPeer(c), undo: (c) => this.removePeer(c) },
    { name: 'finish', run: (c) => this.finish(c) },
  ];

  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(SagasRepository) private readonly sagas: SagasRepository,
    @Inject(ConfigsRepository) private readonly configs: ConfigsRepository,
    @Inject(SagaRunner) private readonly runner: SagaRunner,
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
    const settings: DeviceSettings = { ...DEFAULT_DEVICE_SETTINGS, ...parseDeviceOptions(req) };
    const requestHash = createHash('sha256').update(`${req.serverId}\n${name}`).digest('hex');
    if (idempotencyKey) {
      const earlier = await this.sagas.byIdempotencyKey(req.userId, idempotencyKey);
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
        const earlier = await this.sagas.byIdempotencyKey(req.userId, idempotencyKey);
        if (earlier) return this.replay(earlier, requestHash);
      }
      throw e;
    }
    faultPoint('saga.after-row');
    const { address, server: current } = begun;
    const ctx: CreateContext = { sagaId, userId: req.userId, serverId: current.id, server: current, name, publicKey, address, settings, createdAt: null };
    try {
      await this.runner.run(this, sagaId, ctx);
    } catch (e) {
      throw e instanceof DomainError ? e : new DomainError(VpnErrorCode.PROVISIONING_FAILED, 'the config could not be stored; nothing was kept');
    }
    faultPoint('saga.after-commit');
    const row = {
      id: sagaId, user_id: req.userId, server_id: current.id, server_name: current.name, name, address, public_key: publicKey,
      status: 'active' as const, created_at: ctx.createdAt as Date, last_handshake_at: null, rx_total: null, tx_total: null,
      enabled: true, dns: settings.dns, mtu: settings.mtu, allowed_ips: settings.allowedIps, persistent_keepalive: settings.persistentKeepalive,
    };
    return { config: toConfigView(row), server: { publicKey: current.publicKey, endpoint: current.endpoint, dns: current.dns }, replayed: false };
  }

  async restore(row: SagaEntity): Promise<CreateContext> {
    return {
      sagaId: row.id, userId: row.userId, serverId: row.serverId, server: await this.servers.find(row.serverId), name: row.name ?? '',
      publicKey: parsePublicKey(row.publicKey), address: parseIpAddress(row.address), settings: DEFAULT_DEVICE_SETTINGS, createdAt: null,
    };
  }

  /** The lease goes, the saga ends FAILED and says so, in one transaction; the address is free here again. */
  async failed(c: CreateContext, code: ErrorCode): Promise<void> {
    await this.ds.transaction(async (m) => {
      await this.configs.releaseUnusedLease(m, c.sagaId);
      await this.sagas.markFailed(m, c.sagaId, code);
      await appendEvent(m, 'config.provisioning_failed', { sagaId: c.sagaId, userId: c.userId, serverId: c.serverId, code }, { subject: c.sagaId });
    });
    this.allocators.release(c.serverId, c.address);
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
      let written: boolean;
      try {
        written = await this.sagas.beginCreate({ sagaId, userId, serverId: server.id, name, publicKey, address },
          this.instance.id, this.steps[0].name, server.version, idempotencyKey, requestHash);
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
      if (written) {
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

  /**
   * The peer on the server (coalesced with other additions to this server) and the slot made a
   * device, at once. Refused before the command started (unreachable, wrong host key…): no peer to remove.
   */
  private async addPeer(c: CreateContext): Promise<void> {
    const server = c.server as Server;
    const [added, committed] = await Promise.allSettled([
      timedStep('peer_add', () => this.peers.add(server.id, server.target, server.interface, { publicKey: c.publicKey, allowedIps: [hostCidr(c.address)] })),
      timedStep('slot_commit', () => this.limits.commit(c.sagaId, c.sagaId, c.userId)),
    ]);
    if (added.status === 'rejected') {
      const e: unknown = added.reason;
      this.logger.warn({ sagaId: c.sagaId, serverId: server.id, err: (e as Error).message }, 'adding the peer failed');
      const failure = new DomainError(VpnErrorCode.PROVISIONING_FAILED, `${server.name} could not be changed; nothing was stored and your device slot is free again`);
      throw e instanceof SshError && !e.commandMayHaveRun ? new NothingDone(failure) : failure;
    }
    faultPoint('saga.after-peer-add');
    if (committed.status === 'rejected') throw committed.reason;
  }

  private async removePeer(c: CreateContext): Promise<void> {
    if (c.server) await this.peers.remove(c.server.id, c.server.target, c.server.interface, c.publicKey);
  }

  /** The config row, the saga's end and the event in one statement, only while the saga is still ours. */
  private async finish(c: CreateContext): Promise<void> {
    const event = newEvent('config.created', { configId: c.sagaId, userId: c.userId, serverId: c.serverId, name: c.name, address: `${c.address}/32`, publicKey: c.publicKey }, { actorId: c.userId, subject: c.sagaId });
    c.createdAt = await timedStep('finish', () => this.sagas.finishCreate(c, c.settings, this.instance.id, event, OUTBOX_PROCESS_CHANNEL));
    if (!c.createdAt) throw new DomainError(VpnErrorCode.PROVISIONING_FAILED, 'the saga was taken over before it could finish');
  }

  /** The same key from the same user: the same outcome, never a second config. */
  private async replay(saga: SagaEntity, requestHash: string): Promise<CreateReply> {
    if (saga.requestHash !== requestHash) {
      throw new DomainError(VpnErrorCode.IDEMPOTENCY_KEY_REUSED, 'this Idempotency-Key was used for a different request');
    }
    let current = saga;
    for (let i = 0; current.state === 'PENDING' && i < 300; i++) {
      await new Promise((r) => setTimeout(r, 50));
      current = (await this.sagas.byId(saga.id)) ?? current;
    }
    if (current.state === 'PENDING') throw new DomainError(CommonErrorCode.CONFLICT, 'the first request with this Idempotency-Key is still running');
    if (current.state === 'FAILED') {
      const code = isErrorCode(current.errorCode) ? current.errorCode : VpnErrorCode.PROVISIONING_FAILED;
      throw new DomainError(code, 'the first request with this Idempotency-Key failed');
    }
    const [row] = await this.configs.views({ id: current.configId });
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
