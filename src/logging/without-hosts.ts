// Where a server is named in a driver's or client's message: an address or a dotted host name with a port,
// the host of a URL, and the host a name lookup failed for.
// A name starts where no name character precedes it (not at every word boundary inside a run such as "sk-sk-sk-…"):
// from each boundary the run was scanned to its end and back, quadratic in its length (a 4,000-character path held
// the event loop for about 100 ms). From the run's start alone, each run is scanned once.
const hostWithPort = /(?:(?<![a-z0-9.-])(?:localhost|\d{1,3}(?:\.\d{1,3}){3}|[a-z0-9-]+(?:\.[a-z0-9-]+)+)|\[[0-9a-f:]+\]):\d{1,5}\b/gi;
const bareAddress = /\b\d{1,3}(?:\.\d{1,3}){3}\b/g;
const urlHost = /(?<![a-z0-9+.-])([a-z][a-z0-9+.-]*:\/\/)(?:[^@/\s]*@)?[^/\s:]+(?::\d+)?/gi;
// Node's socket errors name the peer right after the code (`connect ECONNREFUSED ::1:5432`).
const socketFailure = /\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ECONNRESET)\s+(?!<host>)[^\s,;)]+/g;

/**
 * `text` with the internal host names, addresses and ports in it replaced by `<host>`: callers learn what
 * failed, not where the servers are (the logs keep the original).
 */
export function withoutHosts(text: string): string {
  return text
    .replace(urlHost, '$1<host>')
    .replace(socketFailure, '$1 <host>')
    .replace(hostWithPort, '<host>')
    .replace(bareAddress, '<host>');
}

/** `withoutHosts` over every string in a JSON-like value. */
export function hostsMasked(value: unknown): unknown {
  if (typeof value === 'string') return withoutHosts(value);
  if (Array.isArray(value)) return value.map(hostsMasked);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, hostsMasked(child)]));
  return value;
}
