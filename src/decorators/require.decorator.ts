import 'reflect-metadata';
import type { HankoSessionClaims, HankoUser } from '../session/hanko-user.js';

export const HANKO_REQUIREMENTS_KEY = 'HANKO:REQUIREMENTS';

/** One authorization rule: a predicate on the authenticated user and the phrase a 403 names. */
export interface HankoRequirement {
  readonly description: string;
  readonly test: (user: HankoUser) => boolean;
}

/**
 * Adds a requirement to a handler or a class. Requirements accumulate (class and handler, several
 * decorators): all must hold. They imply authentication, also on a `@Public()` route.
 */
export function RequireHanko<TCustomClaims extends object = Record<string, unknown>>(
  description: string,
  test: (user: HankoUser<TCustomClaims>) => boolean,
): MethodDecorator & ClassDecorator {
  // The description goes into a quoted header parameter: keep it printable and quote-free.
  if (!/^[\x20-\x21\x23-\x5b\x5d-\x7e]{1,200}$/.test(description)) {
    throw new Error('RequireHanko: description must be 1-200 printable ASCII characters without quotes or backslashes');
  }
  const requirement: HankoRequirement = { description, test: test as (user: HankoUser) => boolean };
  return (target: object, _key?: string | symbol, descriptor?: PropertyDescriptor) => {
    const holder = (descriptor?.value ?? target) as object;
    const existing = (Reflect.getMetadata(HANKO_REQUIREMENTS_KEY, holder) as HankoRequirement[] | undefined) ?? [];
    Reflect.defineMetadata(HANKO_REQUIREMENTS_KEY, [...existing, requirement], holder);
  };
}

/**
 * The user must have logged in with one of these methods (Hanko's `amr`), e.g.
 * `@RequireAmr('passkey')`, or "passkey or a second factor": `@RequireAmr('passkey', 'totp', 'security_key')`.
 */
export const RequireAmr = (...anyOf: [string, ...string[]]): MethodDecorator & ClassDecorator =>
  RequireHanko(`requires login with ${anyOf.join(' or ')}`, (user) => user.amr.some((method) => anyOf.includes(method)));

/** The user's primary email must be verified by Hanko. */
export const RequireVerifiedEmail = (): MethodDecorator & ClassDecorator =>
  RequireHanko('requires a verified email', (user) => user.email?.isVerified === true);

/**
 * Any predicate on the verified claims, custom claims from Hanko's JWT template included, e.g.
 * `@RequireClaims<{ role: string }>((c) => c.role === 'admin', 'requires role admin')`.
 */
export const RequireClaims = <TCustomClaims extends object = Record<string, unknown>>(
  predicate: (claims: Readonly<HankoSessionClaims & TCustomClaims>) => boolean,
  description = 'insufficient claims',
): MethodDecorator & ClassDecorator => RequireHanko<TCustomClaims>(description, (user) => predicate(user.claims));
