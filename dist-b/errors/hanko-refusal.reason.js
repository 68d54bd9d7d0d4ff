/** Internal: a token was refused for a known reason. Turned into HankoUnauthorizedException by the guard. */
export class HankoTokenRefusal extends Error {
    reason;
    constructor(reason) {
        super(reason);
        this.reason = reason;
        this.name = 'HankoTokenRefusal';
    }
}
/** Internal: Hanko could not be asked (key set or session endpoint). Turned into HankoUnavailableException. */
export class HankoUpstreamUnavailable extends Error {
    detail;
    retryAfter;
    constructor(
    /** Short, token-free description for logs, e.g. "key endpoint answered 503". */
    detail, 
    /** Seconds after which a retry can succeed. */
    retryAfter) {
        super(detail);
        this.detail = detail;
        this.retryAfter = retryAfter;
        this.name = 'HankoUpstreamUnavailable';
    }
}
//# sourceMappingURL=hanko-refusal.reason.js.map