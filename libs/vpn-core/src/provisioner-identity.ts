import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { utils } from 'ssh2';
import { ensureProvisionerKey } from '@vpn/ssh';
import type { PlatformConfig } from '@vpn/runtime';

export interface ProvisionerIdentity {
  privateKey: string;
  /** The `authorized_keys` line operators put on their WireGuard servers. */
  publicKey: string;
}

/** SSH_PRIVATE_KEY_FILE, or an ed25519 key generated once into DATA_DIR/ssh. */
export async function loadProvisionerIdentity(config: PlatformConfig): Promise<ProvisionerIdentity> {
  if (!config.sshPrivateKeyFile) {
    const key = await ensureProvisionerKey(join(config.dataDir, 'ssh'));
    return { privateKey: key.privateKey, publicKey: key.publicKey };
  }
  const privateKey = await readFile(config.sshPrivateKeyFile, 'utf8');
  const parsed = utils.parseKey(privateKey);
  if (parsed instanceof Error) throw new Error(`SSH_PRIVATE_KEY_FILE is not a usable private key: ${parsed.message}`);
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  return { privateKey, publicKey: `${key.type} ${key.getPublicSSH().toString('base64')} vpn-provisioner` };
}
