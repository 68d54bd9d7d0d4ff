import { ServiceUnavailableException } from '@nestjs/common';
/**
 * 503 with Retry-After: Hanko could not be asked and nothing cached can answer. Deliberately not a 401,
 * which would make a frontend log a user out because Hanko had a hiccup.
 */
export class HankoUnavailableException extends ServiceUnavailableException {
    /** Whole seconds, at least 1: what Retry-After and every transport's payload report. */
    retryAfter;
    constructor(retryAfter) {
        super('authentication temporarily unavailable');
        this.retryAfter = Math.max(1, Math.ceil(retryAfter));
    }
    getHeaders() {
        return { 'Retry-After': String(this.retryAfter) };
    }
}
//# sourceMappingURL=hanko-unavailable.exception.js.map