import { ForbiddenException } from '@nestjs/common';
/** 403: authenticated, but a `@Require…()` rule does not hold (RFC 6750 insufficient_scope). */
export declare class HankoForbiddenException extends ForbiddenException {
    readonly requirement: string;
    readonly wwwAuthenticate: string;
    constructor(requirement: string, realm: string);
    getHeaders(): Record<string, string>;
}
