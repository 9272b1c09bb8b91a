// What the packaging specs share: the repository's files, typed access to parsed YAML, and the facts
// of the code that the manifests must agree with.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ServiceName } from '@vpn/contracts';

export const ROOT = resolve(__dirname, '../../..');
export const read = (rel: string): string => readFileSync(join(ROOT, rel), 'utf8');

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export function obj(v: unknown, what: string): Obj {
  if (!isObj(v)) throw new Error(`${what}: expected a mapping, got ${JSON.stringify(v)}`);
  return v;
}
export function arr(v: unknown, what: string): unknown[] {
  if (!Array.isArray(v)) throw new Error(`${what}: expected a list, got ${JSON.stringify(v)}`);
  return v;
}
export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

/** Directory of each service's package, as in scripts/start-service.mjs. */
export const PACKAGE_DIR: Record<ServiceName, string> = {
  gateway: 'gateway',
  auth: 'services/auth',
  'billing-limits': 'services/billing-limits',
  provisioning: 'services/provisioning',
  sync: 'services/sync',
  audit: 'services/audit',
};

/** What each service reads beyond DATABASE_URL and NATS_URL to run as its own process. */
export const REQUIRED_FILES: Partial<Record<ServiceName, string[]>> = {
  provisioning: ['SSH_PRIVATE_KEY_FILE'],
  sync: ['SSH_PRIVATE_KEY_FILE'],
  auth: ['JWT_PRIVATE_KEY_FILE'],
};

/** The shutdown deadline of libs/runtime ShutdownCoordinator: stop grace periods must exceed it. */
export const SERVICE_SHUTDOWN_DEADLINE_S = 15;

/** A compose duration (`30s`, `1m`, `500ms`) in seconds. */
export function seconds(duration: string): number {
  const m = /^(\d+)(ms|s|m)$/.exec(duration);
  if (!m) throw new Error(`unparsable duration ${duration}`);
  const n = Number(m[1]);
  return m[2] === 'ms' ? n / 1000 : m[2] === 'm' ? n * 60 : n;
}

/** The variables entrypoint.sh turns from VAR_FILE into VAR (its `for var in …; do` list). */
export function entrypointFileVars(): string[] {
  return (/for var in ([A-Z_ ]+); do/.exec(read('infra/docker/entrypoint.sh'))?.[1] ?? '').trim().split(/\s+/);
}
