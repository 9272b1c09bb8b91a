import { Inject, Injectable } from '@nestjs/common';
import {
  CommonErrorCode, DomainError, VpnErrorCode, type CommandReply, type CommandRequest,
} from '@vpn/contracts';
import { DataSource, isUniqueViolation } from '@vpn/db';
import { appendEvent } from '@vpn/messaging';
import { PROVISIONER_IDENTITY } from '@vpn/platform';
import { fingerprintOf, parseHostKeyPin, SshPool, type ProvisionerIdentity } from '@vpn/ssh';
import { interfaceInfoCommand, parseInterfaceInfoOutput, WgParseError } from '@vpn/wireguard';
import { ConfigsRepository } from '../configs/configs.repository';
import { registrationError } from '../ssh/ssh-errors';
import { parseDisplayName, parseDnsList, parseHostKeyPinText, parseLocation, parseServerSpec } from './server-input';
import { toPublicServerView, toServerView } from './server-record';
import { ServersRepository, type ServerChanges } from './servers.repository';

/** The server registry: registration checks the server over SSH and pins its host key. */
@Injectable()
export class ServersService {
  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(SshPool) private readonly ssh: SshPool,
    @Inject(PROVISIONER_IDENTITY) private readonly identity: ProvisionerIdentity,
    @Inject(ServersRepository) private readonly servers: ServersRepository,
    @Inject(ConfigsRepository) private readonly configs: ConfigsRepository,
  ) {}

  async sshKey(): Promise<CommandReply<'server.ssh-key'>> {
    return { publicKey: this.identity.publicKey };
  }

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
        const r = await this.servers.insert(m, {
          name: spec.name, location: spec.location, host: spec.host, sshPort: spec.sshPort, sshUser: spec.sshUser, sshHostKey: hostKey,
          endpoint: spec.endpoint, interface: spec.interface, addressPool: spec.addressPool.cidr, dns: spec.dns, publicKey: info.publicKey, listenPort: info.listenPort,
        });
        await appendEvent(m, 'server.registered', { serverId: r.id, name: r.name, host: r.host, interface: r.interface, publicKey: r.publicKey }, { actorId: req.actorId, subject: r.id });
        return r;
      });
      return toServerView({ server: row, peerCount: 0, sync: null });
    } catch (e) {
      if (isUniqueViolation(e, 'servers_name_key')) throw new DomainError(VpnErrorCode.SERVER_NAME_TAKEN, `a server named "${spec.name}" exists`);
      // A server is its interface's key: the same interface under another spelling of its host is the same server.
      if (isUniqueViolation(e, 'servers_public_key_key') || isUniqueViolation(e, 'servers_interface_key')) {
        throw new DomainError(VpnErrorCode.SERVER_ALREADY_REGISTERED, `the WireGuard interface ${info.publicKey} (${spec.interface} on ${what}) is already registered`);
      }
      throw e;
    }
  }

  async list(): Promise<CommandReply<'server.list'>> {
    return (await this.servers.listings()).map(toServerView);
  }

  async listPublic(): Promise<CommandReply<'server.list-public'>> {
    return (await this.servers.listings()).map(toPublicServerView);
  }

  /** Re-pins the host key after a legitimate change; the same as `server.update` with only `sshHostKey`. */
  async pinHostKey(req: CommandRequest<'server.pin-host-key'>): Promise<CommandReply<'server.pin-host-key'>> {
    return this.update({ actorId: req.actorId, serverId: req.serverId, sshHostKey: parseHostKeyPinText(req.sshHostKey) });
  }

  async update(req: CommandRequest<'server.update'>): Promise<CommandReply<'server.update'>> {
    const pin = req.sshHostKey === undefined ? null : parseHostKeyPinText(req.sshHostKey);
    const changes: ServerChanges = {};
    if (req.name !== undefined) changes.name = parseDisplayName(req.name);
    if (req.location !== undefined) changes.location = parseLocation(req.location);
    if (req.maintenance !== undefined) {
      if (typeof req.maintenance !== 'boolean') throw new DomainError(CommonErrorCode.VALIDATION_FAILED, 'maintenance must be a boolean');
      changes.maintenance = req.maintenance;
    }
    if (req.dns !== undefined) changes.dns = parseDnsList(req.dns);
    if (pin !== null) await this.checkPin(req.serverId, pin);
    try {
      const listing = await this.ds.transaction(async (m) => {
        const before = await this.servers.lock(m, req.serverId);
        if (!before) throw new DomainError(VpnErrorCode.SERVER_NOT_FOUND, 'no such server');
        const serverId = before.id;
        await this.servers.update(m, serverId, pin === null ? changes : { ...changes, sshHostKey: pin });
        if (Object.keys(changes).length > 0) {
          await appendEvent(m, 'server.updated', { serverId, changes }, { actorId: req.actorId, subject: serverId });
        }
        const previousFingerprint = pinFingerprint(before.sshHostKey);
        const fingerprint = pin === null ? previousFingerprint : pinFingerprint(pin);
        if (fingerprint !== previousFingerprint) {
          await appendEvent(m, 'server.host_key_changed', { serverId, previousFingerprint, fingerprint }, { actorId: req.actorId, subject: serverId });
        }
        return (await this.servers.listings(serverId, m))[0];
      });
      return toServerView(listing);
    } catch (e) {
      if (isUniqueViolation(e, 'servers_name_key')) throw new DomainError(VpnErrorCode.SERVER_NAME_TAKEN, `a server named "${String(changes.name)}" exists`);
      throw e;
    }
  }

  /**
   * A new pin is taken only once the server shows that host key and still has the registered
   * interface (same public key): a re-pin must not quietly point the record at another machine.
   */
  private async checkPin(serverId: string, pin: string): Promise<void> {
    const server = await this.servers.find(serverId);
    if (!server) throw new DomainError(VpnErrorCode.SERVER_NOT_FOUND, 'no such server');
    const what = `${server.target.host}:${server.target.port}`;
    let info: { publicKey: string };
    try {
      const out = await this.ssh.exec({ ...server.target, hostKey: pin }, interfaceInfoCommand(server.interface), { timeoutMs: 10_000 });
      info = parseInterfaceInfoOutput(out.stdout);
    } catch (e) {
      if (e instanceof WgParseError) throw new DomainError(VpnErrorCode.SSH_UNREACHABLE, `${what} answered with an unexpected WireGuard interface description`);
      throw registrationError(e, what);
    }
    if (info.publicKey !== server.publicKey) {
      throw new DomainError(CommonErrorCode.CONFLICT, `${server.interface} on ${what} now has the public key ${info.publicKey}, not the registered ${server.publicKey}: register it as a new server`);
    }
  }

  async delete(req: CommandRequest<'server.delete'>): Promise<CommandReply<'server.delete'>> {
    await this.ds.transaction(async (m) => {
      const server = await this.servers.lock(m, req.serverId);
      if (!server) throw new DomainError(VpnErrorCode.SERVER_NOT_FOUND, 'no such server');
      const id = server.id;
      const n = await this.configs.leasesOn(m, id);
      if (n > 0) throw new DomainError(VpnErrorCode.SERVER_HAS_CONFIGS, `the server still has ${n} config(s); revoke them first`);
      await this.servers.delete(m, id);
      await appendEvent(m, 'server.deleted', { serverId: id }, { actorId: req.actorId, subject: id });
    });
    return { ok: true };
  }
}

/** The SHA256 fingerprint of a stored pin (audit events name keys by fingerprint). */
function pinFingerprint(stored: string): string {
  const pin = parseHostKeyPin(stored);
  return pin.kind === 'fingerprint' ? pin.fingerprint : fingerprintOf(pin.blob);
}
