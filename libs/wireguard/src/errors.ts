/** A value that failed to parse into a WireGuard domain type; `field` names what was being parsed. */
export class WgParseError extends Error {
  override readonly name = 'WgParseError';
  constructor(
    readonly field: string,
    /** The offending value, quoted; null when the value is a secret and must not be echoed. */
    readonly value: string | null,
    reason: string,
  ) {
    super(value === null ? `invalid ${field}: ${reason}` : `invalid ${field} ${value}: ${reason}`);
  }
}

/** Quotes an untrusted value for an error message so control characters stay visible. */
export function quote(value: unknown): string {
  const s = typeof value === 'string' ? value : String(value);
  const cut = s.length > 80 ? `${s.slice(0, 80)}…` : s;
  return JSON.stringify(cut);
}
