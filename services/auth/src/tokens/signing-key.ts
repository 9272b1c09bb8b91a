import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JsonWebKeyLike } from '@vpn/contracts';
import { jwkThumbprint } from './jwt-signer';

export type AccessTokenAlgorithm = 'EdDSA' | 'RS256';

export interface SigningKey {
  kid: string;
  alg: AccessTokenAlgorithm;
  privateKey: KeyObject;
  publicJwk: JsonWebKeyLike;
}

/** Where the generated key lives when JWT_PRIVATE_KEY_FILE is unset. */
export function generatedKeyPath(dataDir: string): string {
  return join(dataDir, 'jwt', 'access-token-ed25519.pem');
}

/**
 * The access-token signing key: the PEM at `keyFile` (Ed25519 → EdDSA, RSA ≥ 2048 → RS256), or an
 * Ed25519 key generated once into DATA_DIR/jwt (mode 0600). Creation is atomic (link of a complete
 * temp file), so replicas starting together end up with the same key.
 */
export function loadSigningKey(opts: { keyFile?: string; dataDir: string }): SigningKey {
  const pem = opts.keyFile ? readFileSync(opts.keyFile, 'utf8') : readOrCreateGenerated(opts.dataDir);
  const privateKey = createPrivateKey(pem);
  let alg: AccessTokenAlgorithm;
  if (privateKey.asymmetricKeyType === 'ed25519') alg = 'EdDSA';
  else if (privateKey.asymmetricKeyType === 'rsa' && (privateKey.asymmetricKeyDetails?.modulusLength ?? 0) >= 2048) alg = 'RS256';
  else throw new Error(`JWT_PRIVATE_KEY_FILE must hold an Ed25519 or RSA (≥ 2048 bit) private key, got ${privateKey.asymmetricKeyType ?? 'unknown'}`);
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
  const kid = jwkThumbprint(jwk);
  const publicJwk: JsonWebKeyLike = { kty: jwk.kty as string, crv: jwk.crv, x: jwk.x, n: jwk.n, e: jwk.e, kid, alg, use: 'sig' };
  for (const k of Object.keys(publicJwk) as Array<keyof JsonWebKeyLike>) if (publicJwk[k] === undefined) delete publicJwk[k];
  return { kid, alg, privateKey, publicJwk };
}

function readOrCreateGenerated(dataDir: string): string {
  const file = generatedKeyPath(dataDir);
  if (existsSync(file)) return readFileSync(file, 'utf8');
  mkdirSync(join(dataDir, 'jwt'), { recursive: true, mode: 0o700 });
  const { privateKey } = generateKeyPairSync('ed25519');
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
