import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JsonWebKeyLike } from '@vpn/contracts';

/** Access tokens are ES256 (P-256): the gateway verifies with passport-jwt, whose jsonwebtoken has no EdDSA. */
export const ACCESS_TOKEN_ALGORITHM = 'ES256';

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicJwk: JsonWebKeyLike;
}

/** Where the generated key lives when JWT_PRIVATE_KEY_FILE is unset. */
export function generatedKeyPath(dataDir: string): string {
  return join(dataDir, 'jwt', 'access-token-es256.pem');
}

/** The Ed25519 key earlier versions generated: left where it is, no longer used. */
export function legacyGeneratedKeyPath(dataDir: string): string {
  return join(dataDir, 'jwt', 'access-token-ed25519.pem');
}

/** RFC 7638 thumbprint of a P-256 public JWK (required members in lexicographic order). */
export function jwkThumbprint(jwk: { crv?: string; kty?: string; x?: string; y?: string }): string {
  return createHash('sha256').update(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y })).digest('base64url');
}

/**
 * The access-token signing key: the PEM at `keyFile` (a P-256 EC private key), or a P-256 key
 * generated once into DATA_DIR/jwt (mode 0600). Creation is atomic (link of a complete temp file),
 * so replicas starting together end up with the same key.
 */
export function loadSigningKey(opts: { keyFile?: string; dataDir: string }): SigningKey {
  const pem = opts.keyFile ? readFileSync(opts.keyFile, 'utf8') : readOrCreateGenerated(opts.dataDir);
  const privateKey = createPrivateKey(pem);
  const curve = privateKey.asymmetricKeyDetails?.namedCurve;
  if (privateKey.asymmetricKeyType !== 'ec' || curve !== 'prime256v1') {
    throw new Error(`JWT_PRIVATE_KEY_FILE must hold a P-256 (prime256v1) EC private key for ES256, got ${privateKey.asymmetricKeyType ?? 'unknown'}${curve ? ` ${curve}` : ''}`);
  }
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
  const kid = jwkThumbprint(jwk);
  return { kid, privateKey, publicJwk: { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y, kid, alg: ACCESS_TOKEN_ALGORITHM, use: 'sig' } };
}

function readOrCreateGenerated(dataDir: string): string {
  const file = generatedKeyPath(dataDir);
  if (existsSync(file)) return readFileSync(file, 'utf8');
  mkdirSync(join(dataDir, 'jwt'), { recursive: true, mode: 0o700 });
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(tmp, pem, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  try {
    linkSync(tmp, file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  } finally {
    unlinkSync(tmp);
  }
  return readFileSync(file, 'utf8');
}
