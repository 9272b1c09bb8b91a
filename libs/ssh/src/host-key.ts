import { createHash } from 'node:crypto';

/** A host key as OpenSSH prints it: `<type> <base64 blob>` and its `SHA256:` fingerprint (unpadded base64). */
export interface HostKey {
  readonly key: string;
  readonly fingerprint: string;
}

export function hostKeyFromBlob(blob: Buffer): HostKey {
  const typeLen = blob.length >= 4 ? blob.readUInt32BE(0) : 0;
  const type = typeLen > 0 && typeLen + 4 <= blob.length ? blob.subarray(4, 4 + typeLen).toString('latin1') : 'unknown';
  return { key: `${type} ${blob.toString('base64')}`, fingerprint: fingerprintOf(blob) };
}

export function fingerprintOf(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** A pinned host key: an OpenSSH line (`type base64 [comment]`) or a `SHA256:` fingerprint. */
export type HostKeyPin = { kind: 'key'; type: string; blob: Buffer } | { kind: 'fingerprint'; fingerprint: string };

export function parseHostKeyPin(pin: string): HostKeyPin {
  const text = pin.trim();
  const fp = /^SHA256:([A-Za-z0-9+/]{43})=?$/.exec(text);
  if (fp) return { kind: 'fingerprint', fingerprint: `SHA256:${fp[1]}` };
  const parts = text.split(/\s+/);
  if (parts.length >= 2 && /^[a-z0-9@.-]+$/.test(parts[0]) && /^[A-Za-z0-9+/]+={0,2}$/.test(parts[1])) {
    const blob = Buffer.from(parts[1], 'base64');
    if (hostKeyFromBlob(blob).key.startsWith(`${parts[0]} `)) return { kind: 'key', type: parts[0], blob };
  }
  throw new Error('host key pin must be an OpenSSH public key line or a SHA256: fingerprint');
}

export function pinMatches(pin: HostKeyPin, blob: Buffer): boolean {
  return pin.kind === 'key' ? pin.blob.equals(blob) : pin.fingerprint === fingerprintOf(blob);
}
