import { HANKO_TOKEN } from '../context/hanko-request.slots.js';
import { HankoTokenRefusal } from '../errors/hanko-refusal.reason.js';
import type { HankoUser } from '../session/hanko-user.js';
import type { PrecheckedToken } from '../token/hanko-token.precheck.js';

/**
 * The Passport strategy protocol (passport-strategy): `authenticate(req)` ends in exactly one of
 * success/fail/error/pass/redirect. Typed locally so our public .d.ts never names passport-jwt's
 * types, which users would otherwise need (@types/passport-jwt) to compile strictly.
 */
export interface PassportStrategyLike {
  authenticate(request: object, options?: object): void;
}

type Settled = { user: HankoUser; error?: undefined } | { user?: undefined; error: unknown };

/** One run of the strategy: its result, and who to tell if it comes after `authenticate` returned. */
interface Attempt extends PassportStrategyLike {
  settled: Settled | undefined;
  notify: ((result: Settled) => void) | undefined;
}

/** passport-jwt reads no option of its own; one frozen object instead of one per verification. */
const OPTIONS = Object.freeze({ session: false });

/** The protocol allows one action per attempt; any after the first is ignored. */
function settle(attempt: Attempt, result: Settled): void {
  if (attempt.settled !== undefined) return;
  attempt.settled = result;
  attempt.notify?.(result);
}

/**
 * Runs the passport-jwt strategy for one token. The strategy sees a small carrier object, never
 * the real request, so passport-style bookkeeping never lands on (and slows down) the request;
 * and a fresh attempt object per call, because the strategy's actions are per attempt. The actions
 * sit on one prototype between the attempts and the strategy, so an attempt costs one object
 * instead of an object and five closures (a verification of a new token runs this every time).
 * With a cached key the strategy settles before `authenticate` returns: then the user comes back
 * as is (or the refusal is thrown), and only a wait on Hanko's key set costs a promise.
 */
export class HankoStrategyAttempts {
  private readonly actions: object;

  constructor(strategy: PassportStrategyLike) {
    const actions = Object.create(strategy) as Record<string, (this: Attempt, value?: unknown) => void>;
    actions.success = function (user) {
      settle(this, { user: user as HankoUser });
    };
    actions.fail = function (challenge) {
      settle(this, { error: challenge ?? new HankoTokenRefusal('invalid token') });
    };
    actions.error = function (error) {
      settle(this, { error });
    };
    actions.pass = actions.redirect = function () {
      settle(this, { error: new HankoTokenRefusal('invalid token') });
    };
    this.actions = actions;
  }

  run(token: PrecheckedToken): HankoUser | Promise<HankoUser> {
    const attempt = Object.create(this.actions) as Attempt;
    attempt.settled = undefined;
    attempt.notify = undefined;
    attempt.authenticate({ [HANKO_TOKEN]: token }, OPTIONS);
    const now = attempt.settled as Settled | undefined;
    if (now !== undefined) {
      if (now.user !== undefined) return now.user;
      throw now.error;
    }
    return new Promise<HankoUser>((resolve, reject) => {
      attempt.notify = (result) => (result.user !== undefined ? resolve(result.user) : reject(result.error));
    });
  }
}
