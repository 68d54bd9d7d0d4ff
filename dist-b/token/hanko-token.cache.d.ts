import type { HankoUser } from '../session/hanko-user.js';
/** A verified token: the user, the key that verified it, and when it expires (from `exp`, not a Date anyone can mutate). */
export interface VerifiedToken {
    readonly user: HankoUser;
    readonly kid: string;
    readonly expiresAtMs: number;
}
/**
 * Verified tokens, so a client that repeats its token (every browser does) costs a map lookup
 * instead of an RSA verification. Safe because an entry is the result of a full verification of
 * the exact same bytes; it never outlives the token's `exp` (re-checked on every hit, without
 * clock tolerance) nor the key it was verified with (the caller checks the kid is still in the
 * usable key set on every hit, and the cache is cleared on any key change). Failures are never
 * cached, so an attacker cannot fill it with garbage.
 */
export declare class HankoTokenCache {
    private readonly maxEntries;
    private readonly entries;
    constructor(maxEntries: number);
    get(token: string, nowMs: number): VerifiedToken | undefined;
    set(token: string, entry: VerifiedToken): void;
    clear(): void;
    get size(): number;
}
