import { useEffect, useState } from 'preact/hooks';

/** Where the console is: the hash (`#/traces/<id>?user=ana`) as path segments and parameters. */
export interface Route {
  segments: string[];
  parameters: URLSearchParams;
}

export function parseRoute(hash: string): Route {
  const [path, search = ''] = hash.replace(/^#\/?/, '').split('?', 2);
  return { segments: path.split('/').filter(Boolean).map(decodeURIComponent), parameters: new URLSearchParams(search) };
}

/** The current route, updated on every hash change (the console is served as one page: no server routes). */
export function useRoute(): Route {
  const [hash, setHash] = useState(() => location.hash);
  useEffect(() => {
    const update = () => setHash(location.hash);
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return parseRoute(hash);
}

/** A hash link with parameters (empty ones left out). */
export function routeLink(path: string, parameters: Record<string, string | undefined> = {}): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters)) if (value) search.set(name, value);
  const text = search.toString();
  return `#/${path}${text ? `?${text}` : ''}`;
}
