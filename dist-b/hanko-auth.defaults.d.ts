/**
 * Every default of HankoAuthModule, in one place. Durations are seconds, sizes are bytes.
 */
export declare const HANKO_DEFAULTS: Readonly<{
    cookieName: "hanko";
    realm: "hanko";
    /** Hanko mints tokens on one clock, your app checks them on another: 30 s absorbs ordinary NTP drift. */
    clockTolerance: 30;
    /** Hanko session tokens are ~1 KiB; 8 KiB leaves room for large custom claims and caps parsing work. */
    maxTokenBytes: number;
    keys: Readonly<{
        /** Matches Hanko's own `Cache-Control: max-age=600` on /.well-known/jwks.json. */
        cacheMaxAge: 600;
        /** At most one refetch for unknown `kid`s per this many seconds, however many requests miss. */
        refetchCooldown: 30;
        /** Overall deadline of one key fetch: connect, headers and body. */
        fetchTimeout: 5;
        maxResponseBytes: number;
        /** How long the last good key set keeps serving while Hanko's key endpoint is failing. */
        staleIfError: number;
        prefetch: true;
    }>;
    revocation: Readonly<{
        /** Revocation shows within 30 s; a busy API asks Hanko at most twice a minute per session. */
        cacheTtl: 30;
        timeout: 5;
        sharedCache: false;
        maxEntries: 10000;
    }>;
    tokenCache: Readonly<{
        maxEntries: 10000;
    }>;
}>;
