import { useEffect, useState } from 'react';

export type AsyncState<T> =
  | { loading: true; value?: undefined; error?: undefined }
  | { loading: false; value: T; error?: undefined }
  | { loading: false; value?: undefined; error: Error };

/** Runs `load` when `deps` change; the latest run wins. */
export function useAsync<T>(load: () => Promise<T>, deps: unknown[]): AsyncState<T> {
  const [state, setState] = useState<AsyncState<T>>({ loading: true });
  useEffect(() => {
    let current = true;
    setState({ loading: true });
    load().then(
      (value) => current && setState({ loading: false, value }),
      (err: unknown) => current && setState({ loading: false, error: err instanceof Error ? err : new Error(describeError(err)) })
    );
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return state;
}

/** A FetchError, an Error or anything else, as one line. */
export function describeError(err: unknown): string {
  const e = err as { data?: { message?: string }; message?: string; statusText?: string; status?: number };
  return e?.data?.message ?? e?.message ?? (e?.status ? `HTTP ${e.status} ${e.statusText ?? ''}` : String(err));
}
