import type { Agent } from 'node:http';
export interface JwksFetchOptions {
    timeoutMs: number;
    maxBytes: number;
    ca?: string | Buffer | Array<string | Buffer>;
    agent?: Agent;
    signal?: AbortSignal;
}
export interface JwksDocument {
    keys: unknown[];
    /** `Cache-Control: max-age` in seconds, when the endpoint sent one. */
    maxAge: number | undefined;
}
/** A failed key fetch; `detail` is our own short wording, safe to log. */
export declare class JwksFetchError extends Error {
    readonly detail: string;
    constructor(detail: string);
}
/** GET Hanko's JWKS (deadline, size cap, no redirects, verified TLS) and check its shape. */
export declare function fetchJwks(url: string, options: JwksFetchOptions): Promise<JwksDocument>;
