import type { LoginResult } from '@vpn/contracts';
import { env } from '@/config/env';
import { ApiError } from './api-errors';

export { ApiError, errorText } from './api-errors';

export interface TokenGrant {
  accessToken: string;
  expiresIn: number;
}

type Listener = (grant: TokenGrant | null) => void;

/** The access token lives here, in memory only; the refresh token is an httpOnly cookie. */
let accessToken: string | null = null;
let refreshing: Promise<TokenGrant | null> | null = null;
const listeners = new Set<Listener>();
let sessionExpired: (() => void) | null = null;

function publish(grant: TokenGrant | null): void {
  accessToken = grant?.accessToken ?? null;
  for (const l of listeners) l(grant);
}

export const tokenStore = {
  set(grant: TokenGrant | null): void {
    publish(grant);
  },
  get(): string | null {
    return accessToken;
  },
  subscribe(listener: Listener): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  /** Called when a request is refused and the session cannot be renewed. */
  onSessionExpired(handler: (() => void) | null): void {
    sessionExpired = handler;
  },
};

/**
 * One refresh at a time: a second concurrent refresh would present a rotated cookie, which the
 * server treats as reuse and answers by revoking the whole session.
 */
export function refreshSession(): Promise<TokenGrant | null> {
  refreshing ??= (async () => {
    try {
      const res = await fetch(`${env.apiUrl}/api/auth/refresh`, { method: 'POST', credentials: 'same-origin' });
      if (!res.ok) {
        publish(null);
        return null;
      }
      const grant = (await res.json()) as TokenGrant;
      publish(grant);
      return grant;
    } catch {
      return null;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Send the access token and renew it on 401 (default true). */
  auth?: boolean;
}

async function send(method: string, path: string, opts: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers };
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  if (opts.auth !== false && accessToken) headers.Authorization = `Bearer ${accessToken}`;
  try {
    return await fetch(`${env.apiUrl}${path}`, {
      method,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      credentials: 'same-origin',
      signal: opts.signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'NETWORK_ERROR', 'network error');
  }
}

async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  let res = await send(method, path, opts);
  if (res.status === 401 && opts.auth !== false) {
    const grant = await refreshSession();
    if (grant) res = await send(method, path, opts);
    if (res.status === 401) {
      sessionExpired?.();
      throw await ApiError.fromResponse(res);
    }
  }
  if (!res.ok) throw await ApiError.fromResponse(res);
  if (res.status === 204) return undefined as T;
  // An answer may have no body besides 204 (e.g. 202 of a password-reset request).
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** The one client for the REST contract (API.md §3). */
export const api = {
  get: <T>(path: string, opts?: RequestOptions) => request<T>('GET', path, opts),
  post: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('POST', path, { ...opts, body }),
  patch: <T>(path: string, body: unknown, opts?: RequestOptions) => request<T>('PATCH', path, { ...opts, body }),
  delete: <T = void>(path: string, opts?: RequestOptions) => request<T>('DELETE', path, opts),
};

export type { LoginResult };
