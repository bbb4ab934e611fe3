import type { Response } from 'express';

/**
 * Lets a page of ours load its own files over plain HTTP on any address. helmet's Content-Security-Policy
 * says `upgrade-insecure-requests`, which makes a browser fetch the page's scripts and styles over HTTPS:
 * fine behind TLS, but on `http://<lan address>:8080` (a container, a demo on the network) they fail and
 * the page stays blank. Our pages load only their own relative URLs, so the directive adds nothing there;
 * every other directive (`script-src 'self'`, …) stays.
 */
export function allowPlainHttp(response: Response): void {
  const policy = response.getHeader('Content-Security-Policy');
  if (typeof policy !== 'string') return;
  const kept = policy
    .split(';')
    .filter((directive) => directive.trim() !== 'upgrade-insecure-requests')
    .join(';');
  response.setHeader('Content-Security-Policy', kept);
}
