import { type JsonWebKey, type KeyObject } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
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
    tls?: {
        key: string | Buffer;
        cert: string | Buffer;
    };
}
export interface HankoTestKey {
    readonly kid: string;
    readonly privateKey: KeyObject;
    readonly publicJwk: JsonWebKey & {
        kid: string;
        alg: string;
        use: string;
    };
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
 */
export declare class HankoTestIssuer {
    protected readonly options: HankoTestIssuerOptions;
    /** Every key that can sign, newest last; `published` decides which ones the JWKS lists. */
    readonly keys: HankoTestKey[];
    readonly published: Set<string>;
    /** How many times the JWKS was requested. */
    jwksRequests: number;
    /** How many times /sessions/validate was called, by method. */
    validateRequests: {
        GET: number;
        POST: number;
    };
    /** Sessions ended server-side (logout, admin, limits): their tokens still verify, Hanko says not alive. */
    readonly revokedSessions: Set<string>;
    /** Cache-Control sent with the JWKS; Hanko sends max-age=600. */
    cacheControl: string;
    protected readonly sockets: Set<Socket>;
    protected server: Server | undefined;
    protected port: number;
    constructor(options?: HankoTestIssuerOptions);
    /** Starts an issuer with one published RSA key. */
    static start<T extends HankoTestIssuer>(this: new (options: HankoTestIssuerOptions) => T, options?: HankoTestIssuerOptions): Promise<T>;
    get audience(): string[];
    /** The value for HankoAuthModule's `apiUrl`. */
    get apiUrl(): string;
    get jwksUrl(): string;
    /** Adds a key (generated, or given as a private JWK/KeyObject); published unless `publish: false`. */
    addKey(options?: {
        kid?: string;
        modulusLength?: number;
        privateKey?: KeyObject | JsonWebKey;
        publish?: boolean;
    }): Promise<HankoTestKey>;
    /** Ends a session the way Hanko's logout or admin API would: its JWTs keep verifying until exp. */
    revokeSession(sessionId: string): void;
    /** Hanko's answer to /sessions/validate for a token (its documented shape). */
    validateSession(token: string | undefined): Record<string, unknown>;
    /** The claims of a token this issuer signed and that has not expired, else undefined. */
    protected verifyOwnToken(token: string): Record<string, unknown> | undefined;
    removeKey(kid: string): void;
    /** The JWKS document Hanko would publish right now. */
    jwks(): {
        keys: unknown[];
    };
    /** Claims of a live session, as Hanko would mint them now. */
    sessionClaims(overrides?: Record<string, unknown>): Record<string, unknown>;
    /** A valid Hanko session token; `claims` override or (with undefined) remove claims. */
    sign(claims?: Record<string, unknown>, options?: SignOptions): string;
    /** A Hanko webhook token: same key and audience as sessions, sub "hanko webhooks", no session_id. */
    signWebhook(options?: SignOptions): string;
    /** Signs any payload (an object, or raw JSON text for malformed-token tests) with RS256. */
    signPayload(payload: Record<string, unknown> | string, options?: SignOptions): string;
    close(): Promise<void>;
    /** Starts listening (again, on the same port after close() when possible). */
    listen(): Promise<void>;
    /** Routes a request; override to simulate a misbehaving Hanko. */
    protected handle(req: IncomingMessage, res: ServerResponse): void;
    /** GET with a Bearer token, or POST with {"session_token"}; a POST without it is a 400, as in Hanko. */
    protected serveSessionValidation(req: IncomingMessage, res: ServerResponse): void;
    protected serveJwks(_req: IncomingMessage, res: ServerResponse): void;
}
