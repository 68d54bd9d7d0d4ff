import { createPrivateKey, createPublicKey, generateKeyPair, randomUUID, sign, verify, type JsonWebKey, type KeyObject } from 'node:crypto';
import { HankoTestIssuerInProductionError } from './hanko-test-issuer.error.js';

/** What minted tokens look like. */
export interface HankoTestTokenOptions {
  /** `aud` of minted tokens (default ["localhost"], Hanko's default for a local relying party). */
  audience?: string[];
  /** `iss` of minted tokens; Hanko only sets one when `session.issuer` is configured. */
  issuer?: string;
}

export interface HankoTestKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicJwk: JsonWebKey & { kid: string; alg: string; use: string };
}

export interface SignOptions {
  /** Sign with this key (default: the newest). */
  kid?: string;
  /** Header fields to add or override; `undefined` removes one. */
  header?: Record<string, unknown>;
}

/**
 * The signing half of the test issuer: RSA keys like Hanko's, the JWKS it would publish, and
 * Hanko-shaped session and webhook tokens. HankoTestIssuer serves it over HTTP. Refuses to exist
 * under `NODE_ENV=production` (HankoTestIssuerInProductionError): it mints tokens your app accepts.
 */
export class HankoTestKeyRing {
  /** Every key that can sign, newest last; `published` decides which ones the JWKS lists. */
  readonly keys: HankoTestKey[] = [];
  readonly published = new Set<string>();

  constructor(protected readonly options: HankoTestTokenOptions = {}) {
    // Checked here, not only in HankoTestIssuer.start(): a subclass or `new` must not get around it either.
    if (process.env.NODE_ENV === 'production') throw new HankoTestIssuerInProductionError();
  }

  get audience(): string[] {
    return this.options.audience ?? ['localhost'];
  }

  /** Adds a key (generated, or given as a private JWK/KeyObject); published unless `publish: false`. */
  async addKey(
    options: { kid?: string; modulusLength?: number; privateKey?: KeyObject | JsonWebKey; publish?: boolean } = {},
  ): Promise<HankoTestKey> {
    const privateKey =
      options.privateKey === undefined
        ? await generateRsaKey(options.modulusLength ?? 4096)
        : 'asymmetricKeyType' in options.privateKey
          ? (options.privateKey as KeyObject)
          : createPrivateKey({ key: options.privateKey as JsonWebKey & { kty: string }, format: 'jwk' });
    const kid = options.kid ?? randomUUID();
    const publicJwk = { ...createPublicKey(privateKey).export({ format: 'jwk' }), alg: 'RS256', kid, use: 'sig' };
    const key: HankoTestKey = { kid, privateKey, publicJwk };
    this.keys.push(key);
    if (options.publish !== false) this.published.add(kid);
    return key;
  }

  removeKey(kid: string): void {
    this.published.delete(kid);
  }

  /** The JWKS document Hanko would publish right now. */
  jwks(): { keys: unknown[] } {
    return { keys: this.keys.filter((k) => this.published.has(k.kid)).map((k) => k.publicJwk) };
  }

  /** Claims of a live session, as Hanko would mint them now. */
  sessionClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    const now = Math.floor(Date.now() / 1000);
    return withoutUndefined({
      sub: randomUUID(),
      session_id: randomUUID(),
      iat: now,
      exp: now + 12 * 3600,
      aud: this.audience,
      ...(this.options.issuer !== undefined ? { iss: this.options.issuer } : {}),
      amr: ['passkey'],
      email: { address: 'user@example.com', is_primary: true, is_verified: true },
      username: 'johndoe',
      ...overrides,
    });
  }

  /** A valid Hanko session token; `claims` override or (with undefined) remove claims. */
  sign(claims: Record<string, unknown> = {}, options: SignOptions = {}): string {
    return this.signPayload(this.sessionClaims(claims), options);
  }

  /** A Hanko webhook token: same key and audience as sessions, sub "hanko webhooks", no session_id. */
  signWebhook(options: SignOptions = {}): string {
    const now = Math.floor(Date.now() / 1000);
    return this.signPayload(
      withoutUndefined({
        aud: this.audience,
        data: { user_id: randomUUID() },
        evt: 'user.create',
        exp: now + 300,
        iat: now,
        iss: this.options.issuer,
        sub: 'hanko webhooks',
      }),
      options,
    );
  }

  /** Signs any payload (an object, or raw JSON text for malformed-token tests) with RS256. */
  signPayload(payload: Record<string, unknown> | string, options: SignOptions = {}): string {
    const key = options.kid === undefined ? this.keys[this.keys.length - 1] : this.keys.find((k) => k.kid === options.kid);
    if (!key) throw new Error(`HankoTestIssuer: no key ${options.kid}`);
    const header = withoutUndefined({ alg: 'RS256', kid: key.kid, typ: 'JWT', ...options.header });
    const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
    const input = `${b64url(JSON.stringify(header))}.${b64url(body)}`;
    return `${input}.${sign('sha256', Buffer.from(input), key.privateKey).toString('base64url')}`;
  }

  /** The claims of a token this issuer signed and that has not expired, else undefined. */
  protected verifyOwnToken(token: string): Record<string, unknown> | undefined {
    try {
      const [h, p, sig] = token.split('.');
      const header = JSON.parse(Buffer.from(h, 'base64url').toString()) as { kid?: unknown; alg?: unknown };
      const key = this.keys.find((k) => k.kid === header.kid);
      if (!key || header.alg !== 'RS256') return undefined;
      if (!verify('sha256', Buffer.from(`${h}.${p}`), createPublicKey(key.privateKey), Buffer.from(sig, 'base64url'))) return undefined;
      const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
      return typeof claims.exp === 'number' && claims.exp > Date.now() / 1000 ? claims : undefined;
    } catch {
      return undefined;
    }
  }
}

function generateRsaKey(modulusLength: number): Promise<KeyObject> {
  return new Promise((resolve, reject) =>
    generateKeyPair('rsa', { modulusLength }, (error, _publicKey, privateKey) => (error ? reject(error) : resolve(privateKey))),
  );
}

function b64url(text: string): string {
  return Buffer.from(text).toString('base64url');
}

function withoutUndefined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
