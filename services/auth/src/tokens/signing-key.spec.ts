import { generateKeyPairSync, createPublicKey, sign, verify } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatedKeyPath, legacyGeneratedKeyPath, loadSigningKey } from './signing-key';

describe('access-token signing key', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'auth-key-'));
  });

  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('generates a P-256 key once into DATA_DIR/jwt (0600) and loads the same key again', () => {
    const first = loadSigningKey({ dataDir });
    expect(first.privateKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(statSync(generatedKeyPath(dataDir)).mode & 0o777).toBe(0o600);
    expect(first.publicJwk).toEqual({ kty: 'EC', crv: 'P-256', x: expect.any(String), y: expect.any(String), kid: first.kid, alg: 'ES256', use: 'sig' });
    expect(loadSigningKey({ dataDir }).kid).toBe(first.kid);
    const data = Buffer.from('payload');
    const publicKey = createPublicKey({ key: first.publicJwk as never, format: 'jwk' });
    expect(verify('sha256', data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, sign('sha256', data, { key: first.privateKey, dsaEncoding: 'ieee-p1363' }))).toBe(true);
  });

  it('starts in a DATA_DIR holding the Ed25519 key of an earlier version: a new ES256 key beside it, the old file untouched', () => {
    mkdirSync(join(dataDir, 'jwt'), { recursive: true });
    const legacyPem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    writeFileSync(legacyGeneratedKeyPath(dataDir), legacyPem, { mode: 0o600 });
    const key = loadSigningKey({ dataDir });
    expect(key.publicJwk.alg).toBe('ES256');
    expect(generatedKeyPath(dataDir)).not.toBe(legacyGeneratedKeyPath(dataDir));
    expect(readFileSync(legacyGeneratedKeyPath(dataDir), 'utf8')).toBe(legacyPem);
  });

  it('JWT_PRIVATE_KEY_FILE must be a P-256 key: an Ed25519 or P-384 file stops the start with a message naming the variable', () => {
    const file = join(dataDir, 'given.pem');
    writeFileSync(file, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }));
    expect(() => loadSigningKey({ keyFile: file, dataDir })).toThrow(/JWT_PRIVATE_KEY_FILE must hold a P-256 .* got ed25519/);
    writeFileSync(file, generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
    expect(() => loadSigningKey({ keyFile: file, dataDir })).toThrow(/got ec secp384r1/);
    writeFileSync(file, generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'sec1', format: 'pem' }));
    expect(loadSigningKey({ keyFile: file, dataDir }).publicJwk.crv).toBe('P-256');
  });
});
