import type { HankoUser } from './hanko-user.js';
/**
 * What makes a verified JWT a live Hanko session rather than any token Hanko ever signed.
 * Signature, `aud`, `iss`, `nbf` and a present `exp` have been checked by the verifier before this runs.
 */
export declare class HankoSessionPolicy {
    private readonly clockTolerance;
    constructor(clockTolerance: number);
    toUser(payload: Record<string, unknown>, nowSeconds?: number): HankoUser;
}
