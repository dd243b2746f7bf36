import { useCallback, useEffect, useRef, useState } from 'react';

export interface Loaded<T> {
  value?: T;
  error?: Error;
  loading: boolean;
  reload(): Promise<void>;
}

/**
 * Loads from the sidecar and reloads every `pollMs` while `poll(value)` says so (a running
 * backfill, say); the last good value stays shown while a reload fails.
 */
export function useSidecar<T>(load: () => Promise<T>, options: { pollMs?: number; poll?: (value: T) => boolean } = {}): Loaded<T> {
  const [state, setState] = useState<{ value?: T; error?: Error; loading: boolean }>({ loading: true });
  const loadRef = useRef(load);
  useEffect(() => {
    loadRef.current = load;
  }, [load]);
  const mounted = useRef(true);

  const reload = useCallback(async () => {
    try {
      const value = await loadRef.current();
      if (mounted.current) {
        setState({ value, loading: false });
      }
    } catch (err) {
      if (mounted.current) {
        setState((s) => ({ value: s.value, error: err instanceof Error ? err : new Error(String(err)), loading: false }));
      }
    }
  }, []);

  useEffect(() => {
    mounted.current = true;
    reload();
    return () => {
      mounted.current = false;
    };
  }, [reload]);

  const { pollMs, poll } = options;
  const shouldPoll = pollMs !== undefined && state.value !== undefined && (poll ? poll(state.value) : true);
  useEffect(() => {
    if (!shouldPoll) {
      return;
    }
    const timer = setInterval(reload, pollMs);
    return () => clearInterval(timer);
  }, [shouldPoll, pollMs, reload]);

  return { ...state, reload };
}
