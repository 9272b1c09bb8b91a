import type { LoginResult, MeView, UserView } from '@vpn/contracts';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { env } from '@/config/env';
import { api, refreshSession, tokenStore } from './api-client';

export type SessionStatus = 'loading' | 'signed-out' | 'signed-in';

export interface Session {
  status: SessionStatus;
  user: UserView | null;
  /** Why the last session ended on its own (shown on the login page), if it did. */
  expired: boolean;
  /** `totp`: the code of an account with TOTP on (the API answers 401 TOTP_REQUIRED without it). */
  login(email: string, password: string, totp?: string): Promise<UserView>;
  logout(): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

async function loadUser(): Promise<UserView> {
  const me = await api.get<MeView>('/api/me');
  return { id: me.id, email: me.email, role: me.role };
}

/**
 * The signed-in user. The access token stays in memory (api-client); on load and shortly before it
 * expires, a new one is fetched with the httpOnly refresh cookie.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<SessionStatus>('loading');
  const [user, setUser] = useState<UserView | null>(null);
  const [expired, setExpired] = useState(false);

  const signOutLocally = useCallback((byExpiry: boolean) => {
    tokenStore.set(null);
    setUser(null);
    setExpired(byExpiry);
    setStatus('signed-out');
  }, []);

  // Restore the session from the refresh cookie.
  useEffect(() => {
    let cancelled = false;
    void (async () => {
      const grant = await refreshSession();
      if (cancelled) return;
      if (!grant) {
        setStatus('signed-out');
        return;
      }
      try {
        const u = await loadUser();
        if (cancelled) return;
        setUser(u);
        setStatus('signed-in');
      } catch {
        if (!cancelled) signOutLocally(false);
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [signOutLocally]);

  // Renew the access token a little before it expires.
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const unsubscribe = tokenStore.subscribe((grant) => {
      clearTimeout(timer);
      if (!grant) return;
      const delay = Math.max(5, grant.expiresIn - env.refreshLeadSeconds) * 1000;
      timer = setTimeout(() => {
        void refreshSession().then((g) => {
          if (!g) signOutLocally(true);
        });
      }, delay);
    });
    return () => {
      clearTimeout(timer);
      unsubscribe();
    };
  }, [signOutLocally]);

  useEffect(() => {
    tokenStore.onSessionExpired(() => signOutLocally(true));
    return () => tokenStore.onSessionExpired(null);
  }, [signOutLocally]);

  const login = useCallback(async (email: string, password: string, totp?: string) => {
    const r = await api.post<LoginResult>('/api/auth/login', { email, password, ...(totp ? { totp } : {}) }, { auth: false });
    tokenStore.set({ accessToken: r.accessToken, expiresIn: r.expiresIn });
    setUser(r.user);
    setExpired(false);
    setStatus('signed-in');
    return r.user;
  }, []);

  const logout = useCallback(async () => {
    try {
      await api.post<void>('/api/auth/logout', undefined, { auth: false });
    } finally {
      signOutLocally(false);
    }
  }, [signOutLocally]);

  const value = useMemo<Session>(() => ({ status, user, expired, login, logout }), [status, user, expired, login, logout]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}
