import { useCallback, useEffect, useRef, useState } from 'react';

export interface QueryState<T> {
  data: T | undefined;
  error: unknown;
  isLoading: boolean;
  /** Loads again; keeps showing the current data meanwhile. */
  refetch: () => void;
  setData: (update: (prev: T | undefined) => T | undefined) => void;
}

/**
 * Loads `key`'s data with `fetcher`, again whenever `key` changes (and every `intervalMs`, if set).
 * Deliberately tiny: the dashboard has a handful of requests per page.
 */
export function useQuery<T>(key: string, fetcher: (signal: AbortSignal) => Promise<T>, opts: { intervalMs?: number; enabled?: boolean } = {}): QueryState<T> {
  const [data, setDataState] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [isLoading, setLoading] = useState(opts.enabled !== false);
  const [version, setVersion] = useState(0);
  const fetcherRef = useRef(fetcher);
  fetcherRef.current = fetcher;
  const enabled = opts.enabled !== false;
  const lastKey = useRef(key);

  useEffect(() => {
    if (!enabled) return;
    const ctrl = new AbortController();
    if (lastKey.current !== key) {
      lastKey.current = key;
      setDataState(undefined);
    }
    setLoading(true);
    fetcherRef.current(ctrl.signal).then(
      (d) => {
        if (ctrl.signal.aborted) return;
        setDataState(d);
        setError(null);
        setLoading(false);
      },
      (e: unknown) => {
        if (ctrl.signal.aborted) return;
        setError(e);
        setLoading(false);
      },
    );
    return () => ctrl.abort();
  }, [key, version, enabled]);

  useEffect(() => {
    if (!opts.intervalMs || !enabled) return;
    const t = setInterval(() => {
      if (document.visibilityState === 'visible') setVersion((v) => v + 1);
    }, opts.intervalMs);
    return () => clearInterval(t);
  }, [opts.intervalMs, enabled]);

  const refetch = useCallback(() => setVersion((v) => v + 1), []);
  const setData = useCallback((update: (prev: T | undefined) => T | undefined) => setDataState(update), []);
  return { data, error, isLoading, refetch, setData };
}

export interface MutationState<A, R> {
  mutate: (args: A) => Promise<R>;
  isPending: boolean;
  error: unknown;
  reset: () => void;
}

/** Runs a write; remembers whether it is running and how it failed. `mutate` rethrows. */
export function useMutation<A, R>(fn: (args: A) => Promise<R>): MutationState<A, R> {
  const [isPending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const fnRef = useRef(fn);
  fnRef.current = fn;
  const mutate = useCallback(async (args: A) => {
    setPending(true);
    setError(null);
    try {
      return await fnRef.current(args);
    } catch (e) {
      setError(e);
      throw e;
    } finally {
      setPending(false);
    }
  }, []);
  const reset = useCallback(() => setError(null), []);
  return { mutate, isPending, error, reset };
}
