import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/api-error.ts';
import { callApi } from '../api/api-client.ts';

export type Loaded<T> = { state: 'loading' } | { state: 'error'; error: ApiError } | { state: 'ready'; value: T };

/** GETs `path` (again when it or `reload` changes); null means nothing to load yet. */
export function useApi<T>(path: string | null, reload = 0): Loaded<T> {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'loading' });
  useEffect(() => {
    if (path === null) return;
    const controller = new AbortController();
    setLoaded({ state: 'loading' });
    callApi<T>(path, { signal: controller.signal }).then(
      (value) => setLoaded({ state: 'ready', value }),
      (error: unknown) => {
        if (!controller.signal.aborted) setLoaded({ state: 'error', error: ApiError.from(error) });
      },
    );
    return () => controller.abort();
  }, [path, reload]);
  return loaded;
}
