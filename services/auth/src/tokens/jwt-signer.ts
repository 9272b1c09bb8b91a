import { createHash, sign, type KeyObject } from 'node:crypto';

/** base64url of a buffer or of JSON. */
export function b64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

/** RFC 7638 thumbprint of a public JWK (only the required members, in lexicographic order). */
export function jwkThumbprint(jwk: { kty?: string; crv?: string; x?: string; n?: string; e?: string }): string {
  const members = jwk.kty === 'RSA' ? { e: jwk.e, kty: jwk.kty, n: jwk.n } : { crv: jwk.crv, kty: jwk.kty, x: jwk.x };
  return createHash('sha256').update(JSON.stringify(members)).digest('base64url');
}

/** A compact JWS (EdDSA with Ed25519, or RS256), signed with Node's crypto. */
export function signJwt(header: { alg: 'EdDSA' | 'RS256'; kid: string; typ: string }, payload: Record<string, unknown>, key: KeyObject): string {
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
  const signature = sign(header.alg === 'EdDSA' ? null : 'sha256', Buffer.from(input), key);
  return `${input}.${b64url(signature)}`;
}
