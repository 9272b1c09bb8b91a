import type { ConfigView, ServerConfRenderInfo } from '@vpn/contracts';
import {
  parseCidr, parseEndpoint, parseIpAddress, parsePublicKey, renderClientConf, type IpCidr, type WgPrivateKey,
} from '@vpn/wireguard';

/**
 * A device's wg-quick file from its config and server: its own DNS (else the server's), MTU,
 * AllowedIPs and keepalive. Without a private key (the user holds it) there is no PrivateKey line.
 */
export function renderDeviceConf(config: ConfigView, server: ServerConfRenderInfo, privateKey: WgPrivateKey | null): string {
  return renderClientConf({
    privateKey,
    address: config.address as IpCidr,
    dns: (config.dns ?? server.dns).map((d) => parseIpAddress(d)),
    mtu: config.mtu,
    serverPublicKey: parsePublicKey(server.publicKey),
    endpoint: parseEndpoint(server.endpoint),
    allowedIps: config.allowedIps.map((c) => parseCidr(c)),
    persistentKeepalive: config.persistentKeepalive,
  });
}
