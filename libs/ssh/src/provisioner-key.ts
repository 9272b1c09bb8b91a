import { mkdir, readFile, rename, writeFile, chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { utils } from 'ssh2';
import { generateSshKeyPair } from './key-pair';

export interface ProvisionerKey {
  /** OpenSSH private key text (secret). */
  readonly privateKey: string;
  /** The `ssh-ed25519 AAAA… comment` line to put in a server's authorized_keys. */
  readonly publicKey: string;
  readonly privateKeyPath: string;
  readonly publicKeyPath: string;
}

/** Loads `<dir>/id_ed25519{,.pub}`, generating an ed25519 pair (private file 0600) the first time. */
export async function ensureProvisionerKey(dir: string, comment = 'vpn-provisioner'): Promise<ProvisionerKey> {
  const privateKeyPath = join(dir, 'id_ed25519');
  const publicKeyPath = `${privateKeyPath}.pub`;
  try {
    const [privateKey, publicKey] = await Promise.all([readFile(privateKeyPath, 'utf8'), readFile(publicKeyPath, 'utf8')]);
    return { privateKey, publicKey: publicKey.trim(), privateKeyPath, publicKeyPath };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const pair = generateSshKeyPair(comment);
  // Written under temporary names then renamed, so a crash never leaves half a key.
  const tmp = `${privateKeyPath}.${process.pid}.tmp`;
  await writeFile(tmp, pair.private, { mode: 0o600 });
  await chmod(tmp, 0o600);
  await writeFile(`${publicKeyPath}.${process.pid}.tmp`, `${pair.public}\n`, { mode: 0o644 });
  await rename(tmp, privateKeyPath);
  await rename(`${publicKeyPath}.${process.pid}.tmp`, publicKeyPath);
  return { privateKey: pair.private, publicKey: pair.public.trim(), privateKeyPath, publicKeyPath };
}

export interface ProvisionerIdentity {
  privateKey: string;
  /** The `authorized_keys` line operators put on their WireGuard servers. */
  publicKey: string;
}

/** SSH_PRIVATE_KEY_FILE when set, else an ed25519 key generated once into `<dataDir>/ssh`. */
export async function loadProvisionerIdentity(settings: { sshPrivateKeyFile?: string; dataDir: string }): Promise<ProvisionerIdentity> {
  if (!settings.sshPrivateKeyFile) {
    const key = await ensureProvisionerKey(join(settings.dataDir, 'ssh'));
    return { privateKey: key.privateKey, publicKey: key.publicKey };
  }
  const privateKey = await readFile(settings.sshPrivateKeyFile, 'utf8');
  const parsed = utils.parseKey(privateKey);
  if (parsed instanceof Error) throw new Error(`SSH_PRIVATE_KEY_FILE is not a usable private key: ${parsed.message}`);
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  return { privateKey, publicKey: `${key.type} ${key.getPublicSSH().toString('base64')} vpn-provisioner` };
}
