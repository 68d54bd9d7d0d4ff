import type { Agent } from 'node:http';

/** Key-fetching knobs; every field is optional and defaults live in hanko-auth.defaults.ts. */
export interface HankoKeyOptions {
  /** Seconds a fetched key set is used before it is refreshed (default 600; a shorter `Cache-Control: max-age` wins). */
  cacheMaxAge?: number;
  /** Seconds between two refetches caused by tokens with an unknown `kid` (default 30). */
  refetchCooldown?: number;
  /** Overall deadline in seconds for one fetch, connect to last byte (default 5). */
  fetchTimeout?: number;
  /** Largest accepted JWKS response body in bytes (default 65536). */
  maxResponseBytes?: number;
  /** Seconds the last good key set keeps serving while refreshes fail (default 86400). */
  staleIfError?: number;
  /** Fetch the keys when the application boots (default true). A failure there is a warning. */
  prefetch?: boolean;
  /** PEM certificate(s) of a private CA that signed your self-hosted Hanko's TLS certificate. */
  ca?: string | Buffer | Array<string | Buffer>;
  /** Your own HTTP(S) agent (proxy, mTLS, keep-alive). TLS verification is never turned off by this module. */
  agent?: Agent;
}

export interface HankoTokenCacheOptions {
  /** Most verified tokens remembered at once (least recently used are dropped first; default 10000). */
  maxEntries?: number;
}

export interface HankoRevocationOptions {
  /** Seconds one answer of Hanko's /sessions/validate is reused per session (default 30): revocation shows within this time. */
  cacheTtl?: number;
  /** Deadline in seconds for one call to Hanko (default 5). */
  timeout?: number;
  /**
   * Share answers through the app's @nestjs/cache-manager store (CacheModule, e.g. Redis via Keyv),
   * so a fleet makes one Hanko call per session per period (default false: in-memory per process).
   */
  sharedCache?: boolean;
  /**
   * Required with `sharedCache`: the key (at least 32 bytes, the same on every instance) of the HMAC
   * that signs each shared answer, so whoever can write the store can't keep a revoked session
   * alive or log anyone out. E.g. 32 random bytes, base64, from your secret store.
   */
  sharedSecret?: string | Buffer;
  /** Most sessions remembered in memory (default 10000). */
  maxEntries?: number;
  /** While the breaker is open: seconds between two probes; others get 503 at once (default 5). */
  probeInterval?: number;
  /** Failed calls in a row (timeout, connection error, 5xx, 408, 429) that open the breaker (default 3); 4xx never do. */
  failureThreshold?: number;
  /** Most calls to /sessions/validate in flight at once (default 8); beyond it a request waits for a slot, briefly, then gets 503. */
  maxConcurrentCalls?: number;
}

export interface HankoWebhookOptions {
  /** Where Hanko's webhooks are received (default `/hanko/webhooks`); mounted on the HTTP adapter as is, without a global prefix. */
  path?: string;
  /** Largest accepted delivery body in bytes (default 102400). */
  maxBodyBytes?: number;
  /**
   * Hanko's `session.lifespan` in seconds (default 43200, Hanko's 12 h): how long `user.delete`
   * keeps refusing that user's older tokens. Set it to at least your Hanko's value.
   */
  sessionLifespan?: number;
  /**
   * Share revocation marks with every instance through Redis (pub/sub plus a sorted set that a new
   * instance loads); needs the optional peer `redis` (node-redis 5). Without it, marks are per process.
   */
  redis?: { url: string };
}

export interface HankoWebSocketOptions {
  /**
   * Web origins (`https://app.example.com`) whose pages may open a WebSocket that authenticates with
   * the session cookie, besides the app's own origin (a handshake whose `Origin` host equals its
   * `Host`). Default: none. Handshakes carrying a Bearer token are not affected.
   */
  allowedOrigins?: string[];
}

export interface HankoAuthOptions {
  /** Your Hanko API URL, e.g. `https://<project-id>.hanko.io` or a self-hosted URL (tenant path prefix kept). */
  apiUrl: string;
  /** Accepted audiences: the token's `aud` array must contain one of them (Hanko's `session.audience`, by default your relying-party id). */
  audience: string | string[];
  /** When set, the token's `iss` must equal one of these (only if your Hanko configures `session.issuer`). */
  issuer?: string | string[];
  /** Name of the session cookie (default `hanko`); `false` reads only the Authorization header. */
  cookieName?: string | false;
  /** Seconds of clock skew tolerated on `exp`, `iat` and `nbf` (default 30). */
  clockTolerance?: number;
  /** Realm named in `WWW-Authenticate` challenges (default `hanko`). */
  realm?: string;
  /**
   * Name of the Passport strategy, for `AuthGuard('<name>')` (default `hanko`). Bootstrap fails if
   * another strategy is already registered under it: the module never replaces one.
   */
  strategyName?: string;
  /** Tokens longer than this many bytes are refused before parsing (default 8192). */
  maxTokenBytes?: number;
  keys?: HankoKeyOptions;
  /**
   * Also ask Hanko whether the session is still alive (logout, "sign out other devices", admin
   * deletion, session limits, idle timeouts). Off by default; `true` or an object turns it on.
   */
  revocation?: boolean | HankoRevocationOptions;
  /** Cache of verified tokens (on by default); `false` verifies every request's signature. */
  tokenCache?: HankoTokenCacheOptions | false;
  /** Cookie-authenticated WebSocket handshakes (cross-site WebSocket hijacking). */
  websocket?: HankoWebSocketOptions;
  /**
   * Receive Hanko's webhooks: `session.delete.*` and `user.delete` refuse the affected sessions at
   * once, and `@OnHankoEvent()` handlers get every verified event. Off by default; `true` or an object turns it on.
   */
  webhooks?: boolean | HankoWebhookOptions;
}
