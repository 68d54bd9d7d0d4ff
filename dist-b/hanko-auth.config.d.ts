import { Agent } from 'node:http';
import type { HankoAuthOptions } from './hanko-auth.options.js';
/**
 * The validated, normalised options. A class so it can be the DI token, built once at bootstrap:
 * a bad option stops the application there, with a message naming the option.
 */
export declare class HankoAuthConfig {
    readonly apiUrl: string;
    readonly jwksUrl: string;
    readonly audience: readonly string[];
    readonly issuer: readonly string[] | undefined;
    readonly cookieName: string | false;
    readonly clockTolerance: number;
    readonly realm: string;
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
    readonly tokenCache: {
        readonly maxEntries: number;
    } | false;
    readonly revocation: {
        readonly cacheTtl: number;
        readonly timeout: number;
        readonly sharedCache: boolean;
        readonly maxEntries: number;
    } | false;
    constructor(options: HankoAuthOptions);
}
