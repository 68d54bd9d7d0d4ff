import { HankoTokenRefusal } from '../errors/hanko-refusal.reason.js';
const BEARER = /^Bearer[ ]+([^ ]+)[ ]*$/i;
/** Whether an Authorization value uses the Bearer scheme at all (another scheme is not ours). */
export const BEARER_SCHEME = /^bearer(\s|$)/i;
/**
 * Finds the session token: `Authorization: Bearer` first, then the Hanko cookie, the order Hanko
 * itself uses. Subclass and override a method to read tokens from elsewhere.
 */
export class HankoTokenExtractor {
    cookieName;
    constructor(cookieName) {
        this.cookieName = cookieName;
    }
    /** The token, or undefined when the request carries none. Throws HankoTokenRefusal for a malformed Bearer header. */
    extract(request) {
        return this.fromAuthorization(request) ?? this.fromCookie(request);
    }
    fromAuthorization(request) {
        const header = request.headers?.authorization;
        if (header === undefined)
            return undefined;
        // Several Authorization headers are ambiguous: which one would the app's other layers trust?
        if (typeof header !== 'string')
            throw new HankoTokenRefusal('malformed authorization header');
        if (!BEARER_SCHEME.test(header))
            return undefined; // another scheme (Basic, …) is not ours
        const match = BEARER.exec(header);
        if (!match)
            throw new HankoTokenRefusal('malformed authorization header');
        return match[1];
    }
    fromCookie(request) {
        if (this.cookieName === false)
            return undefined;
        // Use what cookie-parser / @fastify/cookie already parsed, else read the header ourselves.
        const parsed = request.cookies?.[this.cookieName];
        if (typeof parsed === 'string' && parsed !== '')
            return parsed;
        const header = request.headers?.cookie;
        if (typeof header !== 'string')
            return undefined;
        return readCookie(header, this.cookieName);
    }
}
function readCookie(header, name) {
    for (const part of header.split(';')) {
        const eq = part.indexOf('=');
        if (eq < 0 || part.slice(0, eq).trim() !== name)
            continue;
        let value = part.slice(eq + 1).trim();
        if (value.length >= 2 && value.startsWith('"') && value.endsWith('"'))
            value = value.slice(1, -1);
        return value === '' ? undefined : value;
    }
    return undefined;
}
//# sourceMappingURL=hanko-token.extractor.js.map