import { createHash } from 'node:crypto';
import type { Agent } from 'node:http';
import { HANKO_DEFAULTS, HANKO_KEY_REFRESH_FLOOR } from './hanko-auth.defaults.js';
import type { HankoAuthOptions } from './hanko-auth.options.js';
import { HankoConfigurationError } from './errors/hanko-configuration.error.js';
import { parseAllowedOrigins } from './origin/hanko-origin.policy.js';
import {
  bool,
  integer,
  knownKeys,
  optionalObject,
  parseAgent,
  parseApiUrl,
  parseCa,
  parseCookieName,
  parseRealm,
  parseRedis,
  parseRoutePath,
  parseSharedSecret,
  parseStrategyName,
  seconds,
  stringList,
} from './hanko-auth.parsers.js';

/**
 * The validated, normalised options. A class so it can be the DI token, built once at bootstrap:
 * a bad option stops the application there, with a message naming the option.
 */
export class HankoAuthConfig {
  readonly apiUrl: string;
  /**
   * Names this Hanko instance in keys of shared stores (the revocation cache, the fleet's marks), so
   * apps of several Hanko projects can share one Redis without reading each other's entries.
   */
  readonly storeNamespace: string;
  readonly jwksUrl: string;
  readonly audience: readonly string[];
  readonly issuer: readonly string[] | undefined;
  readonly cookieName: string | false;
  readonly clockTolerance: number;
  readonly realm: string;
  readonly strategyName: string;
  readonly maxTokenBytes: number;
  readonly keys: {
    readonly cacheMaxAge: number;
    readonly refetchCooldown: number;
    readonly fetchTimeout: number;
    readonly maxResponseBytes: number;
    readonly staleIfError: number;
    readonly prefetch: boolean;
    readonly ca: string | Buffer | Array<string | Buffer> | undefined;
    readonly agent: Agent | undefined;
  };
  readonly tokenCache: { readonly maxEntries: number } | false;
  readonly webhooks:
    | {
        readonly path: string;
        readonly maxBodyBytes: number;
        readonly sessionLifespan: number;
        readonly redis: { readonly url: string } | undefined;
      }
    | false;
  readonly websocket: { readonly allowedOrigins: readonly string[] };
  readonly revocation:
    | {
        readonly cacheTtl: number;
        readonly timeout: number;
        readonly sharedCache: boolean;
        readonly sharedSecret: string | Buffer | undefined;
        readonly maxEntries: number;
        readonly probeInterval: number;
        readonly maxConcurrentCalls: number;
        readonly failureThreshold: number;
      }
    | false;

  constructor(options: HankoAuthOptions) {
    if (options === null || typeof options !== 'object') {
      throw new HankoConfigurationError('options', 'are required: pass { apiUrl, audience }');
    }
    // A misspelt option (cacheTTL, audiences) would silently fall back to a default: refuse it.
    knownKeys('', options, [
      'apiUrl',
      'audience',
      'issuer',
      'cookieName',
      'clockTolerance',
      'realm',
      'strategyName',
      'maxTokenBytes',
      'keys',
      'revocation',
      'tokenCache',
      'webhooks',
      'websocket',
      'globalGuard',
      'tokenExtractor',
    ]);
    this.apiUrl = parseApiUrl(options.apiUrl);
    this.storeNamespace = createHash('sha256').update(this.apiUrl).digest('hex').slice(0, 12);
    this.jwksUrl = `${this.apiUrl}/.well-known/jwks.json`;
    this.audience = stringList('audience', options.audience, true) as string[];
    this.issuer = stringList('issuer', options.issuer, false);
    this.cookieName = parseCookieName(options.cookieName);
    this.clockTolerance = seconds('clockTolerance', options.clockTolerance, HANKO_DEFAULTS.clockTolerance, 0, 300);
    this.realm = parseRealm(options.realm);
    this.strategyName = parseStrategyName(options.strategyName);
    this.maxTokenBytes = integer('maxTokenBytes', options.maxTokenBytes, HANKO_DEFAULTS.maxTokenBytes, 512, 1024 * 1024);

    const keys = optionalObject('keys', options.keys) ?? {};
    knownKeys('keys.', keys, [
      'cacheMaxAge',
      'refetchCooldown',
      'fetchTimeout',
      'maxResponseBytes',
      'staleIfError',
      'prefetch',
      'ca',
      'agent',
    ]);
    const d = HANKO_DEFAULTS.keys;
    this.keys = {
      cacheMaxAge: seconds('keys.cacheMaxAge', keys.cacheMaxAge, d.cacheMaxAge, HANKO_KEY_REFRESH_FLOOR, 7 * 24 * 3600),
      refetchCooldown: seconds('keys.refetchCooldown', keys.refetchCooldown, d.refetchCooldown, 0, 3600),
      fetchTimeout: seconds('keys.fetchTimeout', keys.fetchTimeout, d.fetchTimeout, 0.05, 120),
      maxResponseBytes: integer('keys.maxResponseBytes', keys.maxResponseBytes, d.maxResponseBytes, 1024, 16 * 1024 * 1024),
      staleIfError: seconds('keys.staleIfError', keys.staleIfError, d.staleIfError, 0, 30 * 24 * 3600),
      prefetch: bool('keys.prefetch', keys.prefetch, d.prefetch),
      ca: parseCa(keys.ca),
      agent: parseAgent(keys.agent, this.apiUrl),
    };
    if (keys.ca !== undefined && keys.agent !== undefined) {
      throw new HankoConfigurationError('keys.ca', 'cannot be combined with keys.agent: configure the CA on your agent');
    }

    if (options.revocation === undefined || options.revocation === false) {
      this.revocation = false;
    } else {
      const revocation = options.revocation === true ? {} : (optionalObject('revocation', options.revocation) ?? {});
      knownKeys('revocation.', revocation, [
        'cacheTtl',
        'timeout',
        'sharedCache',
        'sharedSecret',
        'maxEntries',
        'probeInterval',
        'maxConcurrentCalls',
        'failureThreshold',
      ]);
      const r = HANKO_DEFAULTS.revocation;
      const sharedCache = bool('revocation.sharedCache', revocation.sharedCache, r.sharedCache);
      this.revocation = {
        cacheTtl: seconds('revocation.cacheTtl', revocation.cacheTtl, r.cacheTtl, 0, 3600),
        timeout: seconds('revocation.timeout', revocation.timeout, r.timeout, 0.05, 120),
        sharedCache,
        sharedSecret: parseSharedSecret(revocation.sharedSecret, sharedCache),
        maxEntries: integer('revocation.maxEntries', revocation.maxEntries, r.maxEntries, 1, 10_000_000),
        probeInterval: seconds('revocation.probeInterval', revocation.probeInterval, r.probeInterval, 0.1, 3600),
        maxConcurrentCalls: integer('revocation.maxConcurrentCalls', revocation.maxConcurrentCalls, r.maxConcurrentCalls, 1, 10_000),
        failureThreshold: integer('revocation.failureThreshold', revocation.failureThreshold, r.failureThreshold, 1, 1_000),
      };
      if (this.revocation.sharedCache && this.revocation.cacheTtl === 0) {
        throw new HankoConfigurationError('revocation.cacheTtl', 'must be above 0 with sharedCache (a store keeps a TTL of 0 forever)');
      }
    }

    const websocket = optionalObject('websocket', options.websocket) ?? {};
    knownKeys('websocket.', websocket, ['allowedOrigins']);
    this.websocket = { allowedOrigins: parseAllowedOrigins(websocket.allowedOrigins ?? HANKO_DEFAULTS.websocket.allowedOrigins) };

    if (options.tokenCache === false) {
      this.tokenCache = false;
    } else {
      const cache = optionalObject('tokenCache', options.tokenCache) ?? {};
      knownKeys('tokenCache.', cache, ['maxEntries']);
      this.tokenCache = {
        maxEntries: integer('tokenCache.maxEntries', cache.maxEntries, HANKO_DEFAULTS.tokenCache.maxEntries, 1, 10_000_000),
      };
    }

    if (options.webhooks === undefined || options.webhooks === false) {
      this.webhooks = false;
    } else {
      const webhooks = options.webhooks === true ? {} : (optionalObject('webhooks', options.webhooks) ?? {});
      knownKeys('webhooks.', webhooks, ['path', 'maxBodyBytes', 'sessionLifespan', 'redis']);
      const w = HANKO_DEFAULTS.webhooks;
      this.webhooks = {
        path: parseRoutePath(webhooks.path ?? w.path),
        maxBodyBytes: integer('webhooks.maxBodyBytes', webhooks.maxBodyBytes, w.maxBodyBytes, 1024, 16 * 1024 * 1024),
        sessionLifespan: seconds('webhooks.sessionLifespan', webhooks.sessionLifespan, w.sessionLifespan, 60, 366 * 24 * 3600),
        redis: parseRedis(webhooks.redis),
      };
    }
  }
}
