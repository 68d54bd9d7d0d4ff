import { SetMetadata } from '@nestjs/common';
import type { HankoEventFor, HankoEventPrefix } from './hanko-webhook.events.js';

/** Namespaced metadata key of @OnHankoEvent(): the prefixes a method subscribes to. */
export const HANKO_EVENT_KEY = 'HANKO_AUTH:EVENT';

/** A method that may handle every event matching `P`: its parameter is typed by the subscription. */
export type HankoEventHandler<P extends string> = (event: HankoEventFor<P>) => unknown;

/**
 * Calls the decorated method of a provider or controller for every verified Hanko event whose name
 * is, or starts with, one of `prefixes` (Hanko's own rule: `session.delete` gets every delete event).
 * Handlers run after Hanko got its 200; an error is logged (without the payload) and never retried:
 * a handler that needs retries owns them.
 *
 * ```ts
 * @OnHankoEvent('user.create')
 * provision(event: HankoEvent<'user.create'>) { ... event.data.emails ... }
 *
 * @OnHankoEvent('session.delete')
 * ended(event: HankoEventFor<'session.delete'>) { ... event.data.user_id ... }
 * ```
 */
export function OnHankoEvent<P extends HankoEventPrefix>(
  ...prefixes: [P, ...P[]]
): <H extends HankoEventHandler<P>>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<H>) => void {
  const decorate = SetMetadata(HANKO_EVENT_KEY, [...prefixes]);
  return (target, key, descriptor) => {
    decorate(target, key, descriptor);
  };
}
