import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/api-error.ts';
import { callApi } from '../api/api-client.ts';

export type Loaded<T> = { state: 'loading' } | { state: 'error'; error: ApiError } | { state: 'ready'; value: T };

/**
 * GETs `path` (again when it or `reload` changes); null means nothing to load yet. A reload of the same path
 * keeps showing the last answer until the new one arrives, so the page does not jump.
 */
export function useApi<T>(path: string | null, reload = 0): Loaded<T> {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'loading' });
  const lastPath = useRef<string | null>(null);
  useEffect(() => {
    if (path === null) return;
    const controller = new AbortController();
    if (path !== lastPath.current) setLoaded({ state: 'loading' });
    lastPath.current = path;
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
