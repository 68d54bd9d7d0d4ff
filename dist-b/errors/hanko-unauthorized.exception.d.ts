import { UnauthorizedException } from '@nestjs/common';
import type { HankoRefusalReason } from './hanko-refusal.reason.js';
/**
 * 401 with an RFC 6750 challenge. Without a reason (no token at all) the challenge carries only the
 * realm, as §3 asks; with one it names `invalid_token` and our fixed description.
 */
export declare class HankoUnauthorizedException extends UnauthorizedException {
    readonly reason: HankoRefusalReason | undefined;
    readonly wwwAuthenticate: string;
    constructor(reason: HankoRefusalReason | undefined, realm: string);
    getHeaders(): Record<string, string>;
}
