import { ServiceUnavailableException } from '@nestjs/common';
/**
 * 503 with Retry-After: Hanko could not be asked and nothing cached can answer. Deliberately not a 401,
 * which would make a frontend log a user out because Hanko had a hiccup.
 */
export declare class HankoUnavailableException extends ServiceUnavailableException {
    /** Whole seconds, at least 1: what Retry-After and every transport's payload report. */
    readonly retryAfter: number;
    constructor(retryAfter: number);
    getHeaders(): Record<string, string>;
}
