import { UnauthorizedException } from '@nestjs/common';
/**
 * 401 with an RFC 6750 challenge. Without a reason (no token at all) the challenge carries only the
 * realm, as §3 asks; with one it names `invalid_token` and our fixed description.
 */
export class HankoUnauthorizedException extends UnauthorizedException {
    reason;
    wwwAuthenticate;
    constructor(reason, realm) {
        // No reason gives exactly Nest's own 401 body; a reason becomes the message.
        super(reason);
        this.reason = reason;
        this.wwwAuthenticate =
            reason === undefined
                ? `Bearer realm="${realm}"`
                : `Bearer realm="${realm}", error="invalid_token", error_description="${reason}"`;
    }
    getHeaders() {
        return { 'WWW-Authenticate': this.wwwAuthenticate };
    }
}
//# sourceMappingURL=hanko-unauthorized.exception.js.map