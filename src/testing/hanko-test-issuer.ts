import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { HankoTestKeyRing, type HankoTestTokenOptions } from './hanko-test-issuer.keys.js';

export interface HankoTestIssuerOptions extends HankoTestTokenOptions {
  /** RSA modulus of the first key (default 4096, like self-hosted Hanko). */
  modulusLength?: number;
  /** Path prefix, as with Hanko's multi-tenancy (`/tenant-id`). */
  pathPrefix?: string;
  /** Serve HTTPS with this certificate (e.g. one signed by a private CA) instead of HTTP. */
  tls?: { key: string | Buffer; cert: string | Buffer };
}

/**
 * A stand-in for Hanko in e2e tests: serves `/.well-known/jwks.json` and `/sessions/validate` on
 * 127.0.0.1 (ephemeral port) and mints Hanko-shaped session tokens signed with RSA keys like Hanko's
 * (HankoTestKeyRing). For tests only; never imported by the main entry point. Subclass and override
 * `handle()` or a `serve…()` method to simulate outages. Refuses to start under `NODE_ENV=production`.
 */
export class HankoTestIssuer extends HankoTestKeyRing {
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

  constructor(protected override readonly options: HankoTestIssuerOptions = {}) {
    super(options);
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

  /** The value for HankoAuthModule's `apiUrl`. */
  get apiUrl(): string {
    const scheme = this.options.tls ? 'https' : 'http';
    return `${scheme}://127.0.0.1:${this.port}${this.options.pathPrefix ?? ''}`;
  }

  get jwksUrl(): string {
    return `${this.apiUrl}/.well-known/jwks.json`;
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
