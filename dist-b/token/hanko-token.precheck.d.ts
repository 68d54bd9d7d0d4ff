/** A token whose shape and header passed the pre-check; nothing about it is trusted yet. */
export interface PrecheckedToken {
    readonly raw: string;
    readonly kid: string;
    /** Unverified `iat`: only a hint for the key source (rotation vs. stranger), never trusted. */
    readonly issuedAt: number | undefined;
}
/**
 * Cheap structural checks that run before any key lookup, so a hostile token costs a few string
 * operations and can never choose the key, the algorithm, or trigger a fetch.
 */
export declare function precheckToken(raw: string, maxTokenBytes: number): PrecheckedToken;
