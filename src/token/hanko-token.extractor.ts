import { Injectable } from '@nestjs/common';
import { HankoAuthConfig } from '../hanko-auth.config.js';
import { HANKO_HANDSHAKE } from '../context/hanko-request.slots.js';
import { HankoTokenRefusal } from '../errors/hanko-refusal.reason.js';
import { isHandshakeOriginAllowed } from '../origin/hanko-origin.policy.js';

/** The parts of an HTTP-like request the extractor reads (Express, Fastify and WebSocket handshakes alike). */
export interface HankoTokenCarrier {
  headers?: Record<string, string | string[] | undefined>;
  /** Node's header list as received (Express' request, and the handshakes we build): how many Authorization headers came. */
  rawHeaders?: readonly string[];
  /** Fastify's request keeps Node's request here. */
  raw?: { rawHeaders?: readonly string[] };
  cookies?: Record<string, unknown>;
  /** Set on the request of a WebSocket handshake: its cookie counts only from an allowed origin. */
  [HANKO_HANDSHAKE]?: true;
}

/** Whether an Authorization value uses the Bearer scheme at all (another scheme is not ours). */
export const BEARER_SCHEME = /^bearer(\s|$)/i;

/**
 * Finds the session token: `Authorization: Bearer` first, then the Hanko cookie, the order Hanko
 * itself uses. A provider: replace it with `HankoAuthModule.forRoot({ ..., tokenExtractor: MyExtractor })`
 * where `MyExtractor extends HankoTokenExtractor` and overrides a method (e.g. `fromAuthorization`
 * to read a custom header).
 */
@Injectable()
export class HankoTokenExtractor {
  constructor(protected readonly config: HankoAuthConfig) {}

  /** The token, or undefined when the request carries none. Throws HankoTokenRefusal for an ambiguous or malformed credential. */
  extract(request: HankoTokenCarrier): string | undefined {
    const bearer = this.fromAuthorization(request);
    if (bearer !== undefined && looksLikeJws(bearer)) return bearer;
    // A Bearer value that is no JWT at all (`Bearer null`, `Bearer undefined`, `Bearer `: a frontend
    // without a token in JS) is no credential: the cookie is tried, as in Hanko's own lookup. A value
    // shaped like a JWT is the credential the client chose, and its verdict stands (an expired one
    // must reach the client as "token expired", not be replaced by a cookie that may be someone else's).
    const cookie = this.fromCookie(request);
    if (cookie !== undefined || bearer === undefined) return cookie;
    if (bearer === '' || /\s/.test(bearer)) throw new HankoTokenRefusal('malformed authorization header');
    return bearer; // the pre-check refuses it with its own reason
  }

  /** The Bearer credential as sent (not yet checked), or undefined without a Bearer header. */
  protected fromAuthorization(request: HankoTokenCarrier): string | undefined {
    const header = request.headers?.authorization;
    if (header === undefined) return undefined;
    // Several Authorization headers are ambiguous: which one would the app's other layers trust?
    // Node keeps only the first in `headers`, so count them where they arrived.
    if (typeof header !== 'string' || countAuthorizationHeaders(request) > 1) throw new HankoTokenRefusal('several authorization headers');
    if (!BEARER_SCHEME.test(header)) return undefined; // another scheme (Basic, …) is not ours
    return header.slice(6).trim();
  }

  protected fromCookie(request: HankoTokenCarrier): string | undefined {
    const name = this.config.cookieName;
    if (name === false) return undefined;
    // The header itself when there is one: parsers (cookie-parser, @fastify/cookie) keep only the
    // first of several cookies of one name, which is how a planted cookie would win silently.
    const header = request.headers?.cookie;
    const parsed = request.cookies?.[name];
    const token = typeof header === 'string' ? readCookie(header, name) : typeof parsed === 'string' && parsed !== '' ? parsed : undefined;
    // Cross-site WebSocket hijacking: a browser attaches the cookie to a handshake any page opens.
    if (
      token !== undefined &&
      (request[HANKO_HANDSHAKE] === true || isWebSocketUpgrade(request.headers)) &&
      !isHandshakeOriginAllowed(request.headers ?? {}, this.config.websocket.allowedOrigins)
    ) {
      throw new HankoTokenRefusal('origin not allowed');
    }
    return token;
  }
}

/**
 * The cookie's value. Several distinct values are refused: a sibling subdomain can plant
 * `hanko=<its own session>; Domain=.example.com; Path=/api`, which browsers send first on that path
 * (login CSRF: the victim acts as the attacker), and a stale cookie on a longer path would show up as
 * "token expired" that logging in again does not fix. Identical copies are harmless.
 */
function readCookie(header: string, name: string): string | undefined {
  let found: string | undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    let value = part.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    if (value === '') continue;
    if (found !== undefined && found !== value) throw new HankoTokenRefusal('several session cookies');
    found = value;
  }
  return found;
}

/**
 * A WebSocket upgrade, whoever built the carrier: an app's own `getRequest()` (a socket.io
 * handshake, a graphql-ws connection's request) never passes through our handshake marker.
 */
function isWebSocketUpgrade(headers: HankoTokenCarrier['headers']): boolean {
  const upgrade = headers?.upgrade;
  return headers?.['sec-websocket-key'] !== undefined || (typeof upgrade === 'string' && upgrade.toLowerCase() === 'websocket');
}

/** How many Authorization headers arrived, from Node's raw header list (1 when it is not known). */
function countAuthorizationHeaders(request: HankoTokenCarrier): number {
  const raw = request.rawHeaders ?? request.raw?.rawHeaders;
  if (raw === undefined) return 1;
  let count = 0;
  // Names at even indexes; the length test first keeps this a few comparisons per request.
  for (let i = 0; i < raw.length; i += 2) if (raw[i].length === 13 && raw[i].toLowerCase() === 'authorization') count++;
  return count;
}

/**
 * Whether a Bearer value has a compact JWS's shape, three non-empty dot-separated segments: then it
 * is the client's credential (the pre-check judges its characters). Three indexOf calls, no regex
 * over a ~1 KiB token on every request.
 */
function looksLikeJws(value: string): boolean {
  const first = value.indexOf('.');
  const second = value.indexOf('.', first + 1);
  return first > 0 && second > first + 1 && second < value.length - 1 && value.indexOf('.', second + 1) === -1;
}
