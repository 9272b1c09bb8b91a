import { Inject, Injectable } from '@nestjs/common';
import {
  CommonErrorCode, DomainError, VpnErrorCode, type CommandReply, type CommandRequest,
} from '@vpn/contracts';
import { DataSource, isUniqueViolation, queryRows } from '@vpn/db';
import { appendEvent } from '@vpn/messaging';
import { OnCommand } from '@vpn/platform';
import { SshPool } from '@vpn/ssh';
import { interfaceInfoCommand, parseInterfaceInfoOutput, WgParseError } from '@vpn/wireguard';
import { PROVISIONER_IDENTITY } from '../ssh/ssh.providers';
import type { ProvisionerIdentity } from '@vpn/vpn-core';
import { registrationError } from '../ssh/ssh-errors';
import { parseDisplayName, parseDnsList, parseLocation, parseServerSpec } from './server-input';
import { SERVER_COLUMNS, toPublicServerView, toServerView, type ServerRow } from '@vpn/vpn-core';
import { ServersRepository } from './servers.repository';

/** The server registry: registration checks the server over SSH and pins its host key. */
@Injectable()
export class ServersService {
  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(SshPool) private readonly ssh: SshPool,
    @Inject(PROVISIONER_IDENTITY) private readonly identity: ProvisionerIdentity,
    @Inject(ServersRepository) private readonly servers: ServersRepository,
  ) {}

  @OnCommand('server.ssh-key')
  async sshKey(): Promise<CommandReply<'server.ssh-key'>> {
    return { publicKey: this.identity.publicKey };
  }

  @OnCommand('server.register')
  async register(req: CommandRequest<'server.register'>): Promise<CommandReply<'server.register'>> {
    const spec = parseServerSpec(req);
    const what = `${spec.host}:${spec.sshPort}`;
    let hostKey = spec.sshHostKey;
    let info: { publicKey: string; listenPort: number };
    try {
      if (!hostKey) hostKey = (await this.ssh.probeHostKey({ host: spec.host, port: spec.sshPort, username: spec.sshUser })).key;
      const out = await this.ssh.exec({ host: spec.host, port: spec.sshPort, username: spec.sshUser, hostKey }, interfaceInfoCommand(spec.interface), { timeoutMs: 10_000 });
      info = parseInterfaceInfoOutput(out.stdout);
    } catch (e) {
      if (e instanceof WgParseError) throw new DomainError(VpnErrorCode.SSH_UNREACHABLE, `${what} answered with an unexpected WireGuard interface description`);
      throw registrationError(e, what);
    }
    try {
      const row = await this.ds.transaction(async (m) => {
        const [r] = await queryRows<ServerRow>(m, `
          INSERT INTO vpn.servers AS s (name, location, host, ssh_port, ssh_user, ssh_host_key, endpoint, interface, address_pool, dns, public_key, listen_port)
          VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING ${SERVER_COLUMNS}`,
          [spec.name, spec.location, spec.host, spec.sshPort, spec.sshUser, hostKey, spec.endpoint, spec.interface,
            spec.addressPool.cidr, spec.dns, info.publicKey, info.listenPort]);
        await appendEvent(m, 'server.registered', { serverId: r.id, name: r.name, host: r.host, interface: r.interface, publicKey: r.public_key }, { actorId: req.actorId, subject: r.id });
        return r;
      });
      return toServerView(row);
    } catch (e) {
      if (isUniqueViolation(e, 'servers_name_key')) throw new DomainError(VpnErrorCode.SERVER_NAME_TAKEN, `a server named "${spec.name}" exists`);
      if (isUniqueViolation(e, 'servers_interface_key')) throw new DomainError(CommonErrorCode.CONFLICT, `${spec.interface} on ${what} is already registered`);
      throw e;
    }
  }

  @OnCommand('server.list')
  async list(): Promise<CommandReply<'server.list'>> {
    return (await this.servers.listWithCounts()).map(toServerView);
  }

  @OnCommand('server.list-public')
  async listPublic(): Promise<CommandReply<'server.list-public'>> {
    return (await this.servers.listWithCounts()).map(toPublicServerView);
  }

  @OnCommand('server.update')
  async update(req: CommandRequest<'server.update'>): Promise<CommandReply<'server.update'>> {
    const changes: Record<string, unknown> = {};
    if (req.name !== undefined) changes.name = parseDisplayName(req.name);
    if (req.location !== undefined) changes.location = parseLocation(req.location);
    if (req.maintenance !== undefined) {
      if (typeof req.maintenance !== 'boolean') throw new DomainError(CommonErrorCode.VALIDATION_FAILED, 'maintenance must be a boolean');
      changes.maintenance = req.maintenance;
    }
    if (req.dns !== undefined) changes.dns = parseDnsList(req.dns);
    try {
      const row = await this.ds.transaction(async (m) => {
        const rows = await queryRows<ServerRow>(m, `
          UPDATE vpn.servers AS s SET name = COALESCE($2, name), location = COALESCE($3, location),
            maintenance = COALESCE($4, maintenance), dns = COALESCE($5, dns), updated_at = now()
          WHERE id::text = $1 RETURNING ${SERVER_COLUMNS}`,
          [req.serverId, changes.name ?? null, changes.location ?? null, changes.maintenance ?? null, changes.dns ?? null]);
        if (rows.length === 0) throw new DomainError(VpnErrorCode.SERVER_NOT_FOUND, 'no such server');
        if (Object.keys(changes).length > 0) {
          await appendEvent(m, 'server.updated', { serverId: rows[0].id, changes }, { actorId: req.actorId, subject: rows[0].id });
        }
        return rows[0];
      });
      const [withCount] = await this.servers.listWithCounts(row.id);
      return toServerView(withCount ?? row);
    } catch (e) {
      if (isUniqueViolation(e, 'servers_name_key')) throw new DomainError(VpnErrorCode.SERVER_NAME_TAKEN, `a server named "${String(changes.name)}" exists`);
      throw e;
    }
  }

  @OnCommand('server.delete')
  async delete(req: CommandRequest<'server.delete'>): Promise<CommandReply<'server.delete'>> {
    await this.ds.transaction(async (m) => {
      const rows = await queryRows<{ id: string }>(m, `SELECT id FROM vpn.servers WHERE id::text = $1 FOR UPDATE`, [req.serverId]);
      if (rows.length === 0) throw new DomainError(VpnErrorCode.SERVER_NOT_FOUND, 'no such server');
      const id = rows[0].id;
      const [{ n }] = await queryRows<{ n: number }>(m, `SELECT count(*)::int AS n FROM vpn.leases WHERE server_id = $1`, [id]);
      if (n > 0) throw new DomainError(VpnErrorCode.SERVER_HAS_CONFIGS, `the server still has ${n} config(s); revoke them first`);
      await m.query(`DELETE FROM vpn.servers WHERE id = $1`, [id]);
      await appendEvent(m, 'server.deleted', { serverId: id }, { actorId: req.actorId, subject: id });
    });
    return { ok: true };
  }
}
