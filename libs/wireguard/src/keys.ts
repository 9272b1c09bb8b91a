import nacl from 'tweetnacl';
import { decodeBase64, encodeBase64 } from './base64';
import { WgParseError, quote } from './errors';

declare const publicKeyBrand: unique symbol;
/** A Curve25519 public key: canonical base64 of exactly 32 bytes (44 characters). Safe to log and store. */
export type WgPublicKey = string & { readonly [publicKeyBrand]: true };

const KEY_LEN = 32;
const REDACTED = '[redacted]';
const INSPECT = Symbol.for('nodejs.util.inspect.custom');

function decodeKey(field: string, text: unknown, secret: boolean): Uint8Array {
  if (typeof text !== 'string') throw new WgParseError(field, secret ? null : quote(text), 'not a string');
  const bytes = text.length === 44 ? decodeBase64(text) : null;
  if (!bytes || bytes.length !== KEY_LEN) {
    throw new WgParseError(field, secret ? null : quote(text), 'must be base64 of exactly 32 bytes');
  }
  return bytes;
}

/** Canonical base64 of 32 bytes: 43 characters whose last carries 4 data bits (low 2 bits zero), then `=`. */
const CANONICAL_KEY = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/;

export function parsePublicKey(text: unknown): WgPublicKey {
  // Fast path for the common case (a dump of 10,000 peers parses 10,000 keys); same verdict as decoding.
  if (typeof text === 'string' && CANONICAL_KEY.test(text)) return text as WgPublicKey;
  decodeKey('public key', text, false);
  return text as WgPublicKey;
}

/** The all-zero point: what an unset or wiped key decodes to; nobody holds its private key. */
const ZERO_KEY = 'A'.repeat(43) + '=';

/** A key a peer (a device) may have: a public key, and not the all-zero one. */
export function parsePeerPublicKey(text: unknown): WgPublicKey {
  const key = parsePublicKey(text);
  if (key === ZERO_KEY) throw new WgParseError('public key', quote(text), 'must not be the all-zero key');
  return key;
}

export function isPublicKey(text: unknown): text is WgPublicKey {
  return typeof text === 'string' && text.length === 44 && decodeBase64(text)?.length === KEY_LEN;
}

export function publicKeyFromBytes(bytes: Uint8Array): WgPublicKey {
  if (bytes.length !== KEY_LEN) throw new WgParseError('public key', null, 'must be exactly 32 bytes');
  return encodeBase64(bytes) as WgPublicKey;
}

/** Base of the secret key types: the bytes are private; every accidental rendering is redacted. */
abstract class SecretKey {
  readonly #bytes: Uint8Array;
  protected constructor(bytes: Uint8Array) {
    this.#bytes = Uint8Array.from(bytes);
  }
  /** The base64 text, for stdin of a remote command or a conf file the user downloads. Never log it. */
  toBase64(): string {
    return encodeBase64(this.#bytes);
  }
  /** A copy of the raw 32 bytes. */
  toBytes(): Uint8Array {
    return Uint8Array.from(this.#bytes);
  }
  equals(other: SecretKey): boolean {
    const a = this.#bytes;
    const b = other.#bytes;
    let diff = a.length ^ b.length;
    for (let i = 0; i < a.length && i < b.length; i++) diff |= a[i] ^ b[i];
    return diff === 0 && this.constructor === other.constructor;
  }
  toString(): string {
    return `${REDACTED} ${this.constructor.name}`;
  }
  toJSON(): string {
    return this.toString();
  }
  [INSPECT](): string {
    return this.toString();
  }
}

/** A Curve25519 private key (as `wg genkey` prints it). */
export class WgPrivateKey extends SecretKey {
  private constructor(bytes: Uint8Array) {
    super(bytes);
  }
  static parse(text: unknown): WgPrivateKey {
    return new WgPrivateKey(decodeKey('private key', text, true));
  }
  static fromBytes(bytes: Uint8Array): WgPrivateKey {
    if (bytes.length !== KEY_LEN) throw new WgParseError('private key', null, 'must be exactly 32 bytes');
    return new WgPrivateKey(bytes);
  }
  /** A fresh key, clamped exactly like `wg genkey`. */
  static generate(): WgPrivateKey {
    return WgPrivateKey.fromBytes(clamp(nacl.randomBytes(KEY_LEN)));
  }
  /** Same result as `wg pubkey` (X25519 of the clamped scalar with the base point). */
  publicKey(): WgPublicKey {
    return publicKeyFromBytes(nacl.scalarMult.base(this.toBytes()));
  }
}

/** A 32-byte symmetric preshared key (as `wg genpsk` prints it). */
export class WgPresharedKey extends SecretKey {
  private constructor(bytes: Uint8Array) {
    super(bytes);
  }
  static parse(text: unknown): WgPresharedKey {
    return new WgPresharedKey(decodeKey('preshared key', text, true));
  }
  static fromBytes(bytes: Uint8Array): WgPresharedKey {
    if (bytes.length !== KEY_LEN) throw new WgParseError('preshared key', null, 'must be exactly 32 bytes');
    return new WgPresharedKey(bytes);
  }
  static generate(): WgPresharedKey {
    return new WgPresharedKey(nacl.randomBytes(KEY_LEN));
  }
}

export interface WgKeyPair {
  readonly privateKey: WgPrivateKey;
  readonly publicKey: WgPublicKey;
}

/** Pure-JS key pair (≈0.6 ms); works in the browser. On a server prefer `generateKeyPairFast`. */
export function generateKeyPair(): WgKeyPair {
  const privateKey = WgPrivateKey.generate();
  return { privateKey, publicKey: privateKey.publicKey() };
}

/** RFC 7748 clamping, as `wg genkey` does; it does not change the public key. */
export function clamp(bytes: Uint8Array): Uint8Array {
  const k = Uint8Array.from(bytes);
  k[0] &= 248;
  k[31] = (k[31] & 127) | 64;
  return k;
}
