import { createPrivateKey, createPublicKey, generateKeyPair, randomUUID, sign, verify, type JsonWebKey, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { HankoTestIssuerInProductionError } from './hanko-test-issuer.error.js';

export interface HankoTestIssuerOptions {
  /** `aud` of minted tokens (default ["localhost"], Hanko's default for a local relying party). */
  audience?: string[];
  /** `iss` of minted tokens; Hanko only sets one when `session.issuer` is configured. */
  issuer?: string;
  /** RSA modulus of the first key (default 4096, like self-hosted Hanko). */
  modulusLength?: number;
  /** Path prefix, as with Hanko's multi-tenancy (`/tenant-id`). */
  pathPrefix?: string;
  /** Serve HTTPS with this certificate (e.g. one signed by a private CA) instead of HTTP. */
  tls?: { key: string | Buffer; cert: string | Buffer };
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
 * A stand-in for Hanko in e2e tests: serves `/.well-known/jwks.json` on 127.0.0.1 (ephemeral port)
 * and mints Hanko-shaped session tokens signed with RSA keys like Hanko's. For tests only; never
 * imported by the main entry point. Subclass and override `handle()` to simulate outages.
 * Refuses to start under `NODE_ENV=production` (HankoTestIssuerInProductionError).
 */
export class HankoTestIssuer {
  /** Every key that can sign, newest last; `published` decides which ones the JWKS lists. */
  readonly keys: HankoTestKey[] = [];
  readonly published = new Set<string>();
  /** How many times the JWKS was requested. */
  jwksRequests = 0;
  /** How many times /sessions/validate was called, by method. */
  validateRequests = { GET: 0, POST: 0 };
  /** Sessions ended server-side (logout, admin, limits): their tokens still verify, Hanko says not alive. */
  readonly revokedSessions = new Set<string>();
  /** Cache-Control sent with the JWKS; Hanko sends max-age=600. */
  cacheControl = 'max-age=600';
  protected readonly sockets = new Set<Socket>();
  protected server: Server | undefined;
  protected port = 0;

  constructor(protected readonly options: HankoTestIssuerOptions = {}) {
    // Checked here, not only in start(): a subclass or `new` must not get around it either.
    if (process.env.NODE_ENV === 'production') throw new HankoTestIssuerInProductionError();
  }

  /** Starts an issuer with one published RSA key. */
  static async start<T extends HankoTestIssuer>(
    this: new (options: HankoTestIssuerOptions) => T,
    options: HankoTestIssuerOptions = {},
  ): Promise<T> {
    const issuer = new this(options);
    await issuer.addKey({ modulusLength: options.modulusLength });
    await issuer.listen();
    return issuer;
  }

  get audience(): string[] {
    return this.options.audience ?? ['localhost'];
  }

  /** The value for HankoAuthModule's `apiUrl`. */
  get apiUrl(): string {
    const scheme = this.options.tls ? 'https' : 'http';
    return `${scheme}://127.0.0.1:${this.port}${this.options.pathPrefix ?? ''}`;
  }

  get jwksUrl(): string {
    return `${this.apiUrl}/.well-known/jwks.json`;
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

  /** Ends a session the way Hanko's logout or admin API would: its JWTs keep verifying until exp. */
  revokeSession(sessionId: string): void {
    this.revokedSessions.add(sessionId);
  }

  /** Hanko's answer to /sessions/validate for a token (its documented shape). */
  validateSession(token: string | undefined): Record<string, unknown> {
    const claims = token === undefined ? undefined : this.verifyOwnToken(token);
    if (!claims || typeof claims.session_id !== 'string' || this.revokedSessions.has(claims.session_id)) return { is_valid: false };
    const expiration = new Date(Number(claims.exp) * 1000).toISOString();
    return {
      is_valid: true,
      claims: {
        subject: claims.sub,
        session_id: claims.session_id,
        expiration,
        issued_at: new Date(Number(claims.iat) * 1000).toISOString(),
      },
      expiration_time: expiration,
      user_id: claims.sub,
    };
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

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }

  /** Starts listening (again, on the same port after close() when possible). */
  async listen(): Promise<void> {
    const handler = (req: IncomingMessage, res: ServerResponse) => this.handle(req, res);
    const server: Server = this.options.tls ? createTlsServer(this.options.tls, handler) : createServer(handler);
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Routes a request; override to simulate a misbehaving Hanko. */
  protected handle(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'GET' && path === `${this.options.pathPrefix ?? ''}/.well-known/jwks.json`) {
      this.jwksRequests++;
      return this.serveJwks(req, res);
    }
    if (path === `${this.options.pathPrefix ?? ''}/sessions/validate` && (req.method === 'GET' || req.method === 'POST')) {
      this.validateRequests[req.method]++;
      return this.serveSessionValidation(req, res);
    }
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"code":404,"message":"Not Found"}');
  }

  /** GET with a Bearer token, or POST with {"session_token"}; a POST without it is a 400, as in Hanko. */
  protected serveSessionValidation(req: IncomingMessage, res: ServerResponse): void {
    const reply = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (req.method === 'GET') {
      const match = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '');
      return reply(200, this.validateSession(match?.[1]));
    }
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      let token: unknown;
      try {
        token = (JSON.parse(body) as { session_token?: unknown }).session_token;
      } catch {
        token = undefined;
      }
      if (typeof token !== 'string' || token === '') return reply(400, { code: 400, message: 'Bad Request' });
      reply(200, this.validateSession(token));
    });
  }

  protected serveJwks(_req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': this.cacheControl }).end(JSON.stringify(this.jwks()));
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
