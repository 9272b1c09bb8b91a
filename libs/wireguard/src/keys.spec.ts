import { inspect } from 'node:util';
import fc from 'fast-check';
import { decodeBase64, encodeBase64 } from './base64';
import { WgParseError } from './errors';
import { WgPresharedKey, WgPrivateKey, generateKeyPair, isPublicKey, parsePeerPublicKey, parsePublicKey } from './keys';
import { generateKeyPairFast } from './node-keys';
import { INJECTION_PAYLOADS } from '../../../test/support/injection-payloads';

describe('base64', () => {
  it('round trips any bytes like Buffer does', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const text = encodeBase64(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64'));
        expect(decodeBase64(text)).toEqual(bytes);
      }),
    );
  });

  it('rejects non-canonical padding bits so one key has one spelling', () => {
    const canonical = encodeBase64(new Uint8Array(32));
    expect(decodeBase64(canonical)).not.toBeNull();
    expect(decodeBase64(`${canonical.slice(0, 42)}B=`)).toBeNull();
  });
});

describe('parsePublicKey', () => {
  it('accepts base64 of exactly 32 bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (bytes) => {
        const text = Buffer.from(bytes).toString('base64');
        expect(parsePublicKey(text)).toBe(text);
      }),
    );
  });

  it('rejects base64 of any other length', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }).filter((b) => b.length !== 32), (bytes) => {
        expect(() => parsePublicKey(Buffer.from(bytes).toString('base64'))).toThrow(/public key/);
      }),
    );
  });

  it.each(INJECTION_PAYLOADS)('rejects a key carrying the injection payload %j', (payload) => {
    const key = generateKeyPair().publicKey;
    expect(() => parsePublicKey(`${key.slice(0, 40)}${payload}`)).toThrow();
    expect(() => parsePublicKey(`${key}${payload}`)).toThrow();
    expect(() => parsePublicKey(`${payload}${key}`)).toThrow();
    expect(isPublicKey(`${key}${payload}`)).toBe(false);
  });

  it('rejects URL-safe base64 and non-strings', () => {
    expect(() => parsePublicKey('-'.repeat(43) + '=')).toThrow();
    expect(() => parsePublicKey(42)).toThrow();
    expect(() => parsePublicKey(null)).toThrow();
  });
});

describe(parsePeerPublicKey.name, () => {
  it('accepts a real public key', () => {
    const { publicKey } = generateKeyPairFast();
    expect(parsePeerPublicKey(publicKey)).toBe(publicKey);
  });

  // The all-zero point is what a missing or wiped key decodes to; no device can hold its private key.
  it('refuses the all-zero key that parsePublicKey accepts', () => {
    const zero = 'A'.repeat(43) + '=';
    expect(parsePublicKey(zero)).toBe(zero);
    expect(() => parsePeerPublicKey(zero)).toThrow(WgParseError);
  });

  it('refuses what parsePublicKey refuses', () => {
    expect(() => parsePeerPublicKey('AAAA')).toThrow(WgParseError);
  });
});

describe(WgPrivateKey.name, () => {
  it('derives the X25519 public key of its scalar (RFC 7748 test vector)', () => {
    const alicePriv = Buffer.from('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a', 'hex');
    const alicePub = Buffer.from('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a', 'hex');
    expect(WgPrivateKey.fromBytes(alicePriv).publicKey()).toBe(alicePub.toString('base64'));
  });

  it('generates clamped keys like wg genkey', () => {
    const bytes = WgPrivateKey.generate().toBytes();
    expect(bytes[0] & 7).toBe(0);
    expect(bytes[31] & 128).toBe(0);
    expect(bytes[31] & 64).toBe(64);
  });

  it('redacts itself in toString, JSON, template strings and util.inspect', () => {
    const key = WgPrivateKey.generate();
    const secret = key.toBase64();
    const renderings = [String(key), `${key}`, JSON.stringify({ key }), inspect(key), inspect({ nested: { key } })];
    for (const r of renderings) {
      expect(r).not.toContain(secret);
      expect(r).toContain('redacted');
    }
  });

  it('keeps no enumerable copy of the secret', () => {
    const key = WgPrivateKey.generate();
    expect(Object.keys(key)).toEqual([]);
  });

  it('does not echo a bad private key in the parse error', () => {
    const almost = `${WgPrivateKey.generate().toBase64().slice(0, 43)};`;
    expect(() => WgPrivateKey.parse(almost)).toThrow(/private key/);
    try {
      WgPrivateKey.parse(almost);
    } catch (e) {
      expect((e as Error).message).not.toContain(almost.slice(0, 20));
    }
  });

  it('round trips through parse', () => {
    const key = WgPrivateKey.generate();
    expect(WgPrivateKey.parse(key.toBase64()).equals(key)).toBe(true);
  });
});

describe(WgPresharedKey.name, () => {
  it('is a distinct secret type that is redacted too', () => {
    const psk = WgPresharedKey.generate();
    expect(JSON.stringify(psk)).not.toContain(psk.toBase64());
    expect(psk.equals(WgPrivateKey.parse(psk.toBase64()))).toBe(false);
  });
});

describe(generateKeyPairFast.name, () => {
  it('gives a pair whose public key matches the tweetnacl derivation', () => {
    for (let i = 0; i < 20; i++) {
      const { privateKey, publicKey } = generateKeyPairFast();
      expect(privateKey.publicKey()).toBe(publicKey);
    }
  });
});
