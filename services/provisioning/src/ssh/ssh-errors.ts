import { DomainError, VpnErrorCode } from '@vpn/contracts';
import { SshError } from '@vpn/ssh';

/** Registration: what the admin must fix — the host key, or reachability / access / the interface. */
export function registrationError(e: unknown, what: string): DomainError {
  if (e instanceof DomainError) return e;
  if (e instanceof SshError) {
    if (e.kind === 'HOST_KEY_MISMATCH') return new DomainError(VpnErrorCode.HOST_KEY_MISMATCH, `the host key of ${what} does not match the pinned key`);
    if (e.kind === 'COMMAND_FAILED') return new DomainError(VpnErrorCode.SSH_UNREACHABLE, `${what} answered, but its WireGuard interface could not be read (is it up, and does the account run wg as root?)`);
    if (e.kind === 'AUTH_FAILED') return new DomainError(VpnErrorCode.SSH_UNREACHABLE, `${what} refused the provisioner's SSH key (authorize GET /api/admin/ssh-key on it)`);
    return new DomainError(VpnErrorCode.SSH_UNREACHABLE, `${what} is not reachable over SSH (${e.kind.toLowerCase()})`);
  }
  return new DomainError(VpnErrorCode.SSH_UNREACHABLE, `${what} could not be checked`);
}
