import { ForbiddenException } from '@nestjs/common';
/** 403: authenticated, but a `@Require…()` rule does not hold (RFC 6750 insufficient_scope). */
export class HankoForbiddenException extends ForbiddenException {
    requirement;
    wwwAuthenticate;
    constructor(requirement, realm) {
        super(requirement);
        this.requirement = requirement;
        this.wwwAuthenticate = `Bearer realm="${realm}", error="insufficient_scope", error_description="${requirement}"`;
    }
    getHeaders() {
        return { 'WWW-Authenticate': this.wwwAuthenticate };
    }
}
//# sourceMappingURL=hanko-forbidden.exception.js.map