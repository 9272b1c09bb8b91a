/** Small HTTP helpers for gateway integration tests. */
export interface JsonResponse<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

export async function call<T = Record<string, unknown>>(
  base: string, method: string, path: string,
  opts: { token?: string; body?: unknown; cookie?: string; headers?: Record<string, string>; rawBody?: string } = {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.cookie) headers.cookie = opts.cookie;
  let body: string | undefined;
  if (opts.rawBody !== undefined) {
    body = opts.rawBody;
    headers['content-type'] = 'application/json';
  } else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['content-type'] = 'application/json';
  }
  const res = await fetch(`${base}${path}`, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed as T, headers: res.headers };
}

/** The `name=value` pair of the refresh cookie set by a response, or null. */
export function refreshCookie(res: JsonResponse): string | null {
  const set = res.headers.getSetCookie().find((c) => c.startsWith('refresh_token='));
  if (!set) return null;
  const pair = set.split(';')[0];
  return pair === 'refresh_token=' ? null : pair;
}

export function setCookieHeader(res: JsonResponse): string | undefined {
  return res.headers.getSetCookie().find((c) => c.startsWith('refresh_token='));
}

let counter = 0;
export function uniqueEmail(prefix = 'user'): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}@example.com`;
}

export interface Session {
  id: string;
  email: string;
  password: string;
  accessToken: string;
  cookie: string;
}

export async function registerAndLogin(base: string, opts: { email?: string; password?: string } = {}): Promise<Session> {
  const email = opts.email ?? uniqueEmail();
  const password = opts.password ?? 'password-123';
  const reg = await call<{ user: { id: string } }>(base, 'POST', '/api/auth/register', { body: { email, password } });
  if (reg.status !== 201) throw new Error(`register failed: ${reg.status} ${JSON.stringify(reg.body)}`);
  return login(base, email, password);
}

export async function login(base: string, email: string, password: string): Promise<Session> {
  const res = await call<{ accessToken: string; user: { id: string } }>(base, 'POST', '/api/auth/login', { body: { email, password } });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.user.id, email, password, accessToken: res.body.accessToken, cookie: refreshCookie(res) ?? '' };
}
