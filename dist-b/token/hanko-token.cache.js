/**
 * Verified tokens, so a client that repeats its token (every browser does) costs a map lookup
 * instead of an RSA verification. Safe because an entry is the result of a full verification of
 * the exact same bytes; it never outlives the token's `exp` (re-checked on every hit, without
 * clock tolerance) nor the key it was verified with (the caller checks the kid is still in the
 * usable key set on every hit, and the cache is cleared on any key change). Failures are never
 * cached, so an attacker cannot fill it with garbage.
 */
export class HankoTokenCache {
    maxEntries;
    entries = new Map();
    constructor(maxEntries) {
        this.maxEntries = maxEntries;
    }
    get(token, nowMs) {
        const entry = this.entries.get(token);
        if (entry === undefined)
            return undefined;
        this.entries.delete(token);
        if (entry.expiresAtMs <= nowMs)
            return undefined;
        // Re-insert: Map keeps insertion order, so the oldest key is the least recently used.
        this.entries.set(token, entry);
        return entry;
    }
    set(token, entry) {
        this.entries.delete(token);
        this.entries.set(token, entry);
        if (this.entries.size > this.maxEntries) {
            this.entries.delete(this.entries.keys().next().value);
        }
    }
    clear() {
        this.entries.clear();
    }
    get size() {
        return this.entries.size;
    }
}
//# sourceMappingURL=hanko-token.cache.js.map