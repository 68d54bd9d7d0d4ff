/** The primary email as Hanko puts it in the `email` claim. */
export interface HankoEmailClaim {
    readonly address: string;
    readonly is_primary: boolean;
    readonly is_verified: boolean;
}
/** The claims of a Hanko session token (see Hanko's session.jwt_template for custom ones). */
export interface HankoSessionClaims {
    readonly sub: string;
    readonly session_id: string;
    readonly iat: number;
    readonly exp: number;
    readonly aud: readonly string[] | string;
    readonly iss?: string;
    readonly email?: HankoEmailClaim;
    readonly username?: string;
    readonly amr?: readonly string[] | string;
}
export interface HankoUserEmail {
    readonly address: string;
    readonly isPrimary: boolean;
    readonly isVerified: boolean;
}
/**
 * The authenticated user, built from a verified Hanko session token.
 * `TCustomClaims` types the claims your Hanko JWT template adds, e.g. `HankoUser<{ role: string }>`.
 */
export interface HankoUser<TCustomClaims extends object = Record<string, unknown>> {
    /** Hanko user id (`sub`). */
    readonly id: string;
    readonly sessionId: string;
    /** The primary email, or undefined when the user has none (e.g. right after passkey-only sign-up). */
    readonly email: HankoUserEmail | undefined;
    readonly username: string | undefined;
    /** How the user logged in (`amr`), e.g. ["passkey"]; empty for tokens minted by the admin API. */
    readonly amr: readonly string[];
    readonly issuedAt: Date;
    readonly expiresAt: Date;
    /** The whole verified payload, custom claims included; frozen. */
    readonly claims: Readonly<HankoSessionClaims & TCustomClaims>;
}
