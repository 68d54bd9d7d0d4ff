import type { HankoTokenCarrier } from '../token/hanko-token.extractor.js';
/** The request object the guard authenticates: whatever the transport hands us, plus our slots. */
export type HankoRequest = HankoTokenCarrier & Record<string | symbol, unknown>;
/** Where challenge headers go: Express and Fastify both have header(); a bare Node response has setHeader(). */
export interface HankoResponse {
    header?: (name: string, value: string) => unknown;
    setHeader?: (name: string, value: string) => unknown;
}
/** Transports hand us `unknown`s: anything that is not an object is "nothing to read". */
export declare function asObject<T = HankoRequest>(value: unknown): T | undefined;
