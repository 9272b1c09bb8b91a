import type { CreatedConfigView } from '@vpn/contracts';
import { generateKeyPair } from '@vpn/wireguard';
import { api } from '@/lib/api-client';
import { randomId } from '@/lib/random-id';

export interface CreateDeviceInput {
  serverId: string;
  name: string;
}

export interface CreatedDevice extends CreatedConfigView {
  /** The complete wg-quick file, with the private key made here. Exists only in this page's memory. */
  conf: string;
}

/** Puts `PrivateKey = …` first in the [Interface] section of a conf the server rendered without it. */
export function withPrivateKey(conf: string, privateKeyBase64: string): string {
  if (/^\s*PrivateKey\s*=/m.test(conf)) return conf;
  const lines = conf.split('\n');
  const at = lines.findIndex((l) => l.trim() === '[Interface]');
  if (at < 0) throw new Error('the server returned a configuration without an [Interface] section');
  lines.splice(at + 1, 0, `PrivateKey = ${privateKeyBase64}`);
  return lines.join('\n');
}

/**
 * Makes the key pair in the browser and sends only the public key; the private key goes into the
 * conf the user downloads and nowhere else.
 */
export async function createDevice(input: CreateDeviceInput): Promise<CreatedDevice> {
  const keys = generateKeyPair();
  const created = await api.post<CreatedConfigView>(
    '/api/configs',
    { serverId: input.serverId, name: input.name, publicKey: keys.publicKey },
    { headers: { 'Idempotency-Key': randomId() } },
  );
  return { config: created.config, conf: withPrivateKey(created.conf, keys.privateKey.toBase64()) };
}
