/**
 * The shortest key-set refresh period, whatever `keys.cacheMaxAge` or Hanko's `Cache-Control: max-age`
 * say: a `max-age=0` (or a misconfigured proxy) must not turn every request into a key fetch.
 * `keys.cacheMaxAge` below it is refused at bootstrap; a shorter `max-age` from Hanko is raised to it.
 */
export const HANKO_KEY_REFRESH_FLOOR = 1;

/** Shortest `revocation.sharedSecret` in bytes: 256 bits, the HMAC-SHA256 output size (RFC 2104 §3). */
export const HANKO_SHARED_SECRET_MIN_BYTES = 32;

/**
 * When Hanko counts as stalled: no call has answered for this budget (ms) while calls are open. Then
 * no new call goes out and whoever waits on a call they did not make (another request's check of
 * its session, a free call slot) gets 503 at once. Between the floor and `revocation.timeout` the
 * budget follows Hanko's measured latency (HankoLatencyEstimate).
 */
export const HANKO_STALL_BUDGET = Object.freeze({
  /** A Hanko answering in a few ms that keeps every call open this long has stalled: waiting longer only makes the 503 slower. */
  floorMs: 50,
  /** Never less than mean latency × (1 + this): a steady Hanko's jitter is not a stall. */
  meanFactor: 2,
  /** Before Hanko's first answer (keys or sessions) nothing is known about the path to it; a healthy one answers well within this. */
  initialMs: 1_000,
  /** A stall shorter than this is a hiccup, logged at debug; one that lasts this long is warned about (once per outage). */
  warnAfterMs: 1_000,
});

/**
 * Every default of HankoAuthModule, in one place. Durations are seconds, sizes are bytes.
 */
export const HANKO_DEFAULTS = Object.freeze({
  cookieName: 'hanko',
  realm: 'hanko',
  /** The name `AuthGuard('hanko')` refers to; the strategy is registered with Passport under it. */
  strategyName: 'hanko',
  /** Hanko mints tokens on one clock, your app checks them on another: 30 s absorbs ordinary NTP drift. */
  clockTolerance: 30,
  /** Hanko session tokens are ~1 KiB; 8 KiB leaves room for large custom claims and caps parsing work. */
  maxTokenBytes: 8 * 1024,
  keys: Object.freeze({
    /** Matches Hanko's own `Cache-Control: max-age=600` on /.well-known/jwks.json. */
    cacheMaxAge: 600,
    /**
     * At most one refetch for unknown `kid`s per this many seconds, however many requests miss.
     * Only such refetches count: the boot prefetch and scheduled refreshes never delay a rotated key.
     */
    refetchCooldown: 30,
    /** Overall deadline of one key fetch: connect, headers and body. */
    fetchTimeout: 5,
    maxResponseBytes: 64 * 1024,
    /** How long the last good key set keeps serving while Hanko's key endpoint is failing. */
    staleIfError: 24 * 60 * 60,
    prefetch: true,
  }),
  revocation: Object.freeze({
    /** Revocation shows within 30 s; a busy API asks Hanko at most twice a minute per session. */
    cacheTtl: 30,
    timeout: 5,
    sharedCache: false,
    maxEntries: 10_000,
    /** Once the breaker is open, one probe per this many seconds; every other uncached session gets 503 at once. */
    probeInterval: 5,
    /**
     * Failed calls in a row (timeouts, connection errors, 5xx, 408, 429) that open the breaker: one
     * lost packet or one restarting Hanko pod must not refuse every new session for probeInterval.
     * Hanko answering 4xx is not an outage and never opens it.
     */
    failureThreshold: 3,
    /**
     * Most calls to /sessions/validate in flight at once; beyond it a request waits for a slot while
     * calls keep answering (at most max(stall budget, 1 s)). A hanging Hanko then holds at most this
     * many requests until the timeout; a healthy one (a few ms per call) serves thousands of new
     * sessions a second within it.
     */
    maxConcurrentCalls: 8,
  }),
  tokenCache: Object.freeze({
    maxEntries: 10_000,
  }),
  webhooks: Object.freeze({
    path: '/hanko/webhooks',
    /** Express's own JSON limit; a delivery is one token whose `data` is a user or a session (a few KiB). */
    maxBodyBytes: 100 * 1024,
    /** Hanko's default `session.lifespan` (12 h): how long a deleted user's older tokens can still verify. */
    sessionLifespan: 12 * 60 * 60,
  }),
  websocket: Object.freeze({
    /** Besides the app's own origin (always allowed): none, so a cookie-authenticated handshake from another site is refused. */
    allowedOrigins: Object.freeze([] as string[]),
  }),
});
