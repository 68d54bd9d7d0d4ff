import type { HankoTokenCarrier } from '../token/hanko-token.extractor.js';

/** The request object the guard authenticates: whatever the transport hands us, plus our slots. */
export type HankoRequest = HankoTokenCarrier & Record<string | symbol, unknown>;

/** Where challenge headers go: Express and Fastify both have header(); a bare Node response has setHeader(). */
export interface HankoResponse {
  header?: (name: string, value: string) => unknown;
  setHeader?: (name: string, value: string) => unknown;
}

/** Transports hand us `unknown`s: anything that is not an object is "nothing to read". */
export function asObject<T = HankoRequest>(value: unknown): T | undefined {
  return value !== null && typeof value === 'object' ? (value as T) : undefined;
}

/** Sets challenge headers on a response, whichever kind it is; nothing to do without one. */
export function setHankoHeaders(response: HankoResponse | undefined, headers: Record<string, string>): void {
  for (const [name, value] of Object.entries(headers)) {
    // Express and Fastify both have header(); a bare Node response has setHeader().
    if (typeof response?.header === 'function') response.header(name, value);
    else if (typeof response?.setHeader === 'function') response.setHeader(name, value);
  }
}
