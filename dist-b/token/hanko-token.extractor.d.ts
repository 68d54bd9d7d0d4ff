/** The parts of an HTTP-like request the extractor reads (Express, Fastify and WebSocket handshakes alike). */
export interface HankoTokenCarrier {
    headers?: Record<string, string | string[] | undefined>;
    cookies?: Record<string, unknown>;
}
/** Whether an Authorization value uses the Bearer scheme at all (another scheme is not ours). */
export declare const BEARER_SCHEME: RegExp;
/**
 * Finds the session token: `Authorization: Bearer` first, then the Hanko cookie, the order Hanko
 * itself uses. Subclass and override a method to read tokens from elsewhere.
 */
export declare class HankoTokenExtractor {
    protected readonly cookieName: string | false;
    constructor(cookieName: string | false);
    /** The token, or undefined when the request carries none. Throws HankoTokenRefusal for a malformed Bearer header. */
    extract(request: HankoTokenCarrier): string | undefined;
    protected fromAuthorization(request: HankoTokenCarrier): string | undefined;
    protected fromCookie(request: HankoTokenCarrier): string | undefined;
}
