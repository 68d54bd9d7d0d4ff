import 'reflect-metadata';
export const HANKO_REQUIREMENTS_KEY = 'HANKO:REQUIREMENTS';
/**
 * Adds a requirement to a handler or a class. Requirements accumulate (class and handler, several
 * decorators): all must hold. They imply authentication, also on a `@Public()` route.
 */
export function RequireHanko(description, test) {
    // The description goes into a quoted header parameter: keep it printable and quote-free.
    if (!/^[\x20-\x21\x23-\x5b\x5d-\x7e]{1,200}$/.test(description)) {
        throw new Error('RequireHanko: description must be 1-200 printable ASCII characters without quotes or backslashes');
    }
    const requirement = { description, test: test };
    return (target, _key, descriptor) => {
        const holder = (descriptor?.value ?? target);
        const existing = Reflect.getMetadata(HANKO_REQUIREMENTS_KEY, holder) ?? [];
        Reflect.defineMetadata(HANKO_REQUIREMENTS_KEY, [...existing, requirement], holder);
    };
}
/**
 * The user must have logged in with one of these methods (Hanko's `amr`), e.g.
 * `@RequireAmr('passkey')`, or "passkey or a second factor": `@RequireAmr('passkey', 'totp', 'security_key')`.
 */
export const RequireAmr = (...anyOf) => RequireHanko(`requires login with ${anyOf.join(' or ')}`, (user) => user.amr.some((method) => anyOf.includes(method)));
/** The user's primary email must be verified by Hanko. */
export const RequireVerifiedEmail = () => RequireHanko('requires a verified email', (user) => user.email?.isVerified === true);
/**
 * Any predicate on the verified claims, custom claims from Hanko's JWT template included, e.g.
 * `@RequireClaims<{ role: string }>((c) => c.role === 'admin', 'requires role admin')`.
 */
export const RequireClaims = (predicate, description = 'insufficient claims') => RequireHanko(description, (user) => predicate(user.claims));
//# sourceMappingURL=require.decorator.js.map