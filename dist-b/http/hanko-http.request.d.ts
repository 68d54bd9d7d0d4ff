import http from 'node:http';
import type { Agent } from 'node:http';
export interface HankoHttpOptions {
    method?: 'GET' | 'POST';
    headers?: Record<string, string>;
    body?: string;
    timeoutMs: number;
    maxBytes: number;
    ca?: string | Buffer | Array<string | Buffer>;
    agent?: Agent;
    signal?: AbortSignal;
}
export interface HankoHttpResponse {
    status: number;
    headers: http.IncomingHttpHeaders;
    /** Parsed JSON body (2xx only). */
    json: unknown;
}
/** A failed call to Hanko; `detail` is our own short wording, safe to log (no URLs' secrets, no tokens). */
export declare class HankoHttpError extends Error {
    readonly detail: string;
    constructor(detail: string);
}
/**
 * One JSON request to Hanko with what plain clients lack: a single deadline covering connect,
 * headers and a slow-dripping body; a body size cap; no redirects (a 3xx is a failure, so nobody
 * can move the endpoint elsewhere); TLS always verified, with an optional private CA.
 */
export declare function requestHankoJson(url: string, options: HankoHttpOptions): Promise<HankoHttpResponse>;
