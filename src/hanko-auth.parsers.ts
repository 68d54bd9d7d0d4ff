import { Agent } from 'node:http';
import { HANKO_DEFAULTS, HANKO_SHARED_SECRET_MIN_BYTES } from './hanko-auth.defaults.js';
import { HankoConfigurationError } from './errors/hanko-configuration.error.js';

/**
 * One parser per option, for HankoAuthConfig: each takes what the app passed (unknown: forRootAsync
 * factories and plain JavaScript callers are not type-checked), returns the normalised value or the
 * default, and throws HankoConfigurationError naming the option and what it must be.
 */

const LOOPBACK_HOSTS = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

export function parseRoutePath(value: unknown): string {
  // Plain segments only: a pattern (':id', '*') would let other paths reach the receiver.
  if (typeof value !== 'string' || !/^(\/[A-Za-z0-9._~-]+)+$/.test(value)) {
    throw new HankoConfigurationError('webhooks.path', "must be an absolute path of plain segments, e.g. '/hanko/webhooks'");
  }
  return value;
}

export function parseRedis(value: unknown): { url: string } | undefined {
  if (value === undefined) return undefined;
  const redis = optionalObject('webhooks.redis', value as object) as { url?: unknown };
  knownKeys('webhooks.redis.', redis, ['url']);
  let url: URL | undefined;
  try {
    url = typeof redis.url === 'string' ? new URL(redis.url) : undefined;
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'redis:' && url.protocol !== 'rediss:')) {
    throw new HankoConfigurationError('webhooks.redis.url', 'must be a redis:// or rediss:// URL');
  }
  return { url: redis.url as string };
}

export function knownKeys(prefix: string, value: object, allowed: string[]): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      throw new HankoConfigurationError(`${prefix}${key}`, `is not an option (known: ${allowed.map((k) => prefix + k).join(', ')})`);
    }
  }
}

/**
 * The HMAC key of shared revocation answers. Without it, anyone who can write the store (a shared
 * Redis, another app on it) could keep a revoked session alive or log anyone out, so sharedCache
 * requires it; at least 32 bytes, so it can't be guessed offline from a stored entry.
 */
export function parseSharedSecret(value: unknown, sharedCache: boolean): string | Buffer | undefined {
  if (value === undefined) {
    if (!sharedCache) return undefined;
    throw new HankoConfigurationError(
      'revocation.sharedSecret',
      `is required with sharedCache: a secret of at least ${HANKO_SHARED_SECRET_MIN_BYTES} bytes, the same on every instance, that signs the shared answers`,
    );
  }
  const bytes = typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : Buffer.isBuffer(value) ? value.length : -1;
  if (bytes < HANKO_SHARED_SECRET_MIN_BYTES) {
    throw new HankoConfigurationError(
      'revocation.sharedSecret',
      `must be a string or Buffer of at least ${HANKO_SHARED_SECRET_MIN_BYTES} bytes (e.g. 32 random bytes, base64)`,
    );
  }
  if (!sharedCache) throw new HankoConfigurationError('revocation.sharedSecret', 'is only used with sharedCache: true');
  return value as string | Buffer;
}

export function parseCa(value: unknown): string | Buffer | Array<string | Buffer> | undefined {
  if (value === undefined) return undefined;
  const pem = (v: unknown) => typeof v === 'string' || Buffer.isBuffer(v);
  if (pem(value) || (Array.isArray(value) && value.length > 0 && value.every(pem))) return value;
  throw new HankoConfigurationError('keys.ca', 'must be PEM text (string or Buffer) or an array of them');
}

export function parseAgent(value: unknown, apiUrl: string): Agent | undefined {
  if (value === undefined) return undefined;
  // An http.Agent cannot make https: requests (and vice versa): catch it at boot, not at the first fetch.
  const protocol = new URL(apiUrl).protocol;
  if (!(value instanceof Agent) || (value as Agent & { protocol?: string }).protocol !== protocol) {
    throw new HankoConfigurationError(
      'keys.agent',
      `must be an ${protocol === 'https:' ? 'https' : 'http'}.Agent matching apiUrl's ${protocol}`,
    );
  }
  return value;
}

export function parseApiUrl(value: unknown): string {
  const hint = '(the Hanko API URL, e.g. https://<project>.hanko.io)';
  if (value === undefined || value === null || value === '') {
    throw new HankoConfigurationError('apiUrl', `is required ${hint}`);
  }
  if (typeof value !== 'string') throw new HankoConfigurationError('apiUrl', `must be a string ${hint}`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new HankoConfigurationError('apiUrl', `is not a valid URL ${hint}`);
  }
  if (url.username || url.password) throw new HankoConfigurationError('apiUrl', 'must not contain credentials');
  if (url.search || url.hash) throw new HankoConfigurationError('apiUrl', 'must not contain a query or fragment');
  if (url.protocol === 'http:' && !LOOPBACK_HOSTS.test(url.hostname)) {
    throw new HankoConfigurationError('apiUrl', 'must use https: (http: is only accepted for a loopback host such as localhost)');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new HankoConfigurationError('apiUrl', `must use https: ${hint}`);
  }
  // Keep a tenant path prefix, drop trailing slashes so the JWKS path is joined exactly once.
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

export function stringList(name: string, value: unknown, required: boolean): string[] | undefined {
  if (value === undefined || value === null) {
    if (!required) return undefined;
    throw new HankoConfigurationError(name, "is required (Hanko's session.audience, by default your relying-party id such as example.com)");
  }
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 || !list.every((v) => typeof v === 'string' && v.trim() !== '')) {
    throw new HankoConfigurationError(name, 'must be a non-empty string or a non-empty array of non-empty strings');
  }
  return [...(list as string[])];
}

export function parseCookieName(value: unknown): string | false {
  if (value === undefined) return HANKO_DEFAULTS.cookieName;
  if (value === false) return false;
  // RFC 6265 token characters only: anything else could never match a cookie a browser sends.
  if (typeof value !== 'string' || !/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(value)) {
    throw new HankoConfigurationError('cookieName', 'must be a cookie name (RFC 6265 token) or false');
  }
  return value;
}

export function parseRealm(value: unknown): string {
  if (value === undefined) return HANKO_DEFAULTS.realm;
  // The realm is quoted into a response header: forbid what could break out of the quotes.
  if (typeof value !== 'string' || !/^[\x20-\x7e]+$/.test(value) || /["\\]/.test(value)) {
    throw new HankoConfigurationError('realm', 'must be printable ASCII without quotes or backslashes');
  }
  return value;
}

export function parseStrategyName(value: unknown): string {
  if (value === undefined) return HANKO_DEFAULTS.strategyName;
  // A name is a key in Passport's strategy table and appears in AuthGuard('<name>'): keep it plain.
  if (typeof value !== 'string' || !/^[A-Za-z0-9_.:-]{1,64}$/.test(value)) {
    throw new HankoConfigurationError('strategyName', 'must be 1 to 64 letters, digits or _ . : - (the name used in AuthGuard())');
  }
  return value;
}

export function seconds(name: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new HankoConfigurationError(name, `must be a number of seconds between ${min} and ${max}`);
  }
  return value;
}

export function integer(name: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new HankoConfigurationError(name, `must be an integer between ${min} and ${max}`);
  }
  return value;
}

export function bool(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new HankoConfigurationError(name, 'must be true or false');
  return value;
}

export function optionalObject<T extends object>(name: string, value: T | undefined): T | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new HankoConfigurationError(name, 'must be an object');
  }
  return value;
}
