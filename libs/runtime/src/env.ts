import { isIP } from 'node:net';

/**
 * Environment parsing: every variable is parsed once, at start, into a typed value.
 * All bad variables are reported together, each by name, so an operator fixes them in one go.
 */
export type EnvSource = Readonly<Record<string, string | undefined>>;

export interface EnvField<T> {
  readonly parse: (raw: string | undefined) => T;
}

export class ConfigError extends Error {
  constructor(public readonly problems: ReadonlyArray<{ variable: string; problem: string }>) {
    super(`Invalid configuration: ${problems.map((p) => `${p.variable} ${p.problem}`).join('; ')}`);
    this.name = 'ConfigError';
  }
}

class FieldProblem extends Error {}

function field<T>(parse: (raw: string | undefined) => T): EnvField<T> {
  return { parse };
}

function blank(raw: string | undefined): raw is undefined {
  return raw === undefined || raw.trim() === '';
}

export const env = {
  port(defaultValue: number): EnvField<number> {
    return field((raw) => {
      if (blank(raw)) return defaultValue;
      if (!/^\d{1,5}$/.test(raw.trim())) throw new FieldProblem(`must be a TCP port (1-65535), got "${raw}"`);
      const n = Number(raw);
      if (n < 1 || n > 65535) throw new FieldProblem(`must be a TCP port (1-65535), got "${raw}"`);
      return n;
    });
  },
  optionalPort(): EnvField<number | undefined> {
    const port = env.port(0);
    return field((raw) => (blank(raw) ? undefined : port.parse(raw)));
  },
  int(defaultValue: number, bounds: { min?: number; max?: number } = {}): EnvField<number> {
    return field((raw) => {
      if (blank(raw)) return defaultValue;
      if (!/^-?\d+$/.test(raw.trim())) throw new FieldProblem(`must be an integer, got "${raw}"`);
      const n = Number(raw);
      if (bounds.min !== undefined && n < bounds.min) throw new FieldProblem(`must be ≥ ${bounds.min}, got ${n}`);
      if (bounds.max !== undefined && n > bounds.max) throw new FieldProblem(`must be ≤ ${bounds.max}, got ${n}`);
      return n;
    });
  },
  optionalInt(bounds: { min?: number; max?: number } = {}): EnvField<number | undefined> {
    const int = env.int(0, bounds);
    return field((raw) => (blank(raw) ? undefined : int.parse(raw)));
  },
  string(defaultValue: string): EnvField<string> {
    return field((raw) => (blank(raw) ? defaultValue : raw));
  },
  optionalString(opts: { minLength?: number } = {}): EnvField<string | undefined> {
    return field((raw) => {
      if (blank(raw)) return undefined;
      if (opts.minLength !== undefined && raw.length < opts.minLength) {
        throw new FieldProblem(`must be at least ${opts.minLength} characters`);
      }
      return raw;
    });
  },
  optionalUrl(protocols: readonly string[]): EnvField<string | undefined> {
    return field((raw) => {
      if (blank(raw)) return undefined;
      for (const part of raw.split(',')) {
        let url: URL;
        try {
          url = new URL(part.trim());
        } catch {
          throw new FieldProblem(`must be a URL (${protocols.join(' or ')}//…), got "${redactUrl(part)}"`);
        }
        if (!protocols.includes(url.protocol)) {
          throw new FieldProblem(`must use ${protocols.join(' or ')}, got "${url.protocol}"`);
        }
      }
      return raw.trim();
    });
  },
  oneOf<const T extends string>(values: readonly T[], defaultValue: T): EnvField<T> {
    return field((raw) => {
      if (blank(raw)) return defaultValue;
      if (!(values as readonly string[]).includes(raw.trim())) {
        throw new FieldProblem(`must be one of ${values.join(', ')}, got "${raw}"`);
      }
      return raw.trim() as T;
    });
  },
  email(defaultValue: string): EnvField<string> {
    return field((raw) => {
      if (blank(raw)) return defaultValue;
      if (!/^[^\s@]+@[^\s@]+$/.test(raw.trim())) throw new FieldProblem(`must be an email address, got "${raw}"`);
      return raw.trim();
    });
  },
  /** Which proxies' X-Forwarded-* headers are believed: none by default, so no client forges its address. */
  trustProxy(): EnvField<TrustProxy> {
    return field((raw) => {
      if (blank(raw)) return { kind: 'none' };
      const v = raw.trim();
      if (/^\d+$/.test(v)) {
        const hops = Number(v);
        if (hops > 32) throw new FieldProblem(`must be a hop count (0-32) or CIDRs, got "${raw}"`);
        return hops === 0 ? { kind: 'none' } : { kind: 'hops', hops };
      }
      const addresses = v.split(',').map((a) => a.trim());
      const bad = addresses.filter((a) => !isTrustedProxyAddress(a));
      if (bad.length > 0) {
        throw new FieldProblem(`must be a hop count or comma-separated IPs/CIDRs (or loopback, linklocal, uniquelocal), got "${bad.join(', ')}"`);
      }
      return { kind: 'addresses', addresses };
    });
  },
  bool(defaultValue: boolean): EnvField<boolean> {
    return field((raw) => {
      if (blank(raw)) return defaultValue;
      const v = raw.trim().toLowerCase();
      if (['1', 'true', 'yes', 'on'].includes(v)) return true;
      if (['0', 'false', 'no', 'off'].includes(v)) return false;
      throw new FieldProblem(`must be true or false, got "${raw}"`);
    });
  },
};

/**
 * The proxies in front of the gateway: `none` (clients talk to it directly), the number of proxy
 * hops, or the proxies' own addresses. Only these may set the client address and protocol.
 */
export type TrustProxy =
  | { readonly kind: 'none' }
  | { readonly kind: 'hops'; readonly hops: number }
  | { readonly kind: 'addresses'; readonly addresses: readonly string[] };

const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** An IP, an IP/prefix, or one of Express's named ranges. */
function isTrustedProxyAddress(value: string): boolean {
  if (NAMED_RANGES.has(value)) return true;
  const [ip, prefix, ...rest] = value.split('/');
  const family = isIP(ip);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/** Hides the password of a URL before it reaches a message. */
export function redactUrl(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return raw.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
  }
}

export type EnvSpec = Record<string, EnvField<unknown>>;
export type ParsedEnv<S extends EnvSpec> = { [K in keyof S]: S[K] extends EnvField<infer T> ? T : never };

export function parseEnv<S extends EnvSpec>(spec: S, source: EnvSource = process.env): ParsedEnv<S> {
  const problems: Array<{ variable: string; problem: string }> = [];
  const out: Record<string, unknown> = {};
  for (const [name, f] of Object.entries(spec)) {
    try {
      out[name] = f.parse(source[name]);
    } catch (e) {
      if (e instanceof FieldProblem) problems.push({ variable: name, problem: e.message });
      else throw e;
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return out as ParsedEnv<S>;
}
