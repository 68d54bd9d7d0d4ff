import { HankoConfigurationError } from '../errors/hanko-configuration.error.js';

/** The handshake headers the origin check reads. */
export interface HandshakeHeaders {
  readonly origin?: string | string[];
  readonly host?: string | string[];
}

/**
 * Whether a WebSocket handshake may authenticate with the session cookie (cross-site WebSocket
 * hijacking). A browser attaches the cookie to a handshake that any web page opens, and neither
 * SameSite=Lax (a sibling subdomain is same-site) nor CORS (it does not apply to WebSockets) stops
 * it; the `Origin` header, which browsers always send on a handshake and pages cannot forge, does.
 * Allowed: the app's own origin (`Origin`'s host equals the handshake's `Host`: a page of the app
 * itself), an origin listed in `websocket.allowedOrigins`, or no `Origin` at all (not a browser, so
 * nobody's ambient cookie: a client that sends a cookie itself holds the token anyway).
 * The scheme is not compared for the same-origin case: behind TLS termination the app cannot know it.
 */
export function isHandshakeOriginAllowed(headers: HandshakeHeaders, allowedOrigins: readonly string[]): boolean {
  const origin = headers.origin;
  if (origin === undefined) return true;
  // Several Origin headers, or "null" (sandboxed frames, file: pages): no origin we can vouch for.
  if (typeof origin !== 'string') return false;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (allowedOrigins.includes(parsed.origin)) return true;
  const host = headers.host;
  return typeof host === 'string' && (parsed.protocol === 'https:' || parsed.protocol === 'http:') && parsed.host === host.toLowerCase();
}

/** Validates `websocket.allowedOrigins` at bootstrap: serialised origins (`https://app.example.com`), nothing else. */
export function parseAllowedOrigins(value: unknown): readonly string[] {
  const name = 'websocket.allowedOrigins';
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new HankoConfigurationError(name, 'must be an array of origins such as https://app.example.com');
  return value.map((entry: unknown): string => {
    // An origin is scheme, host and port only: a path, a wildcard or a trailing slash would never match.
    if (typeof entry !== 'string' || !isSerializedOrigin(entry)) {
      throw new HankoConfigurationError(
        name,
        `must list origins exactly as browsers send them (scheme://host[:port], no path or wildcard); got ${JSON.stringify(entry)}`,
      );
    }
    return entry;
  });
}

function isSerializedOrigin(entry: string): boolean {
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    return false;
  }
  return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === entry && !url.hostname.includes('*');
}
