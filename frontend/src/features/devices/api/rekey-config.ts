import type { CreatedConfigView } from '@vpn/contracts';
import { generateKeyPair } from '@vpn/wireguard';
import { api } from '@/lib/api-client';
import { withPrivateKey, type CreatedDevice } from './create-config';

/**
 * A new key pair made in the browser for the same device (address and name stay); only the public
 * key is sent. The old key stops working before the answer, so the returned conf is the only one.
 */
export async function rekeyDevice(id: string): Promise<CreatedDevice> {
  const keys = generateKeyPair();
  const rekeyed = await api.post<CreatedConfigView>(`/api/configs/${encodeURIComponent(id)}/rekey`, { publicKey: keys.publicKey });
  return { config: rekeyed.config, conf: withPrivateKey(rekeyed.conf, keys.privateKey.toBase64()) };
}
