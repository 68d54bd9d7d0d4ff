import { SetMetadata } from '@nestjs/common';
import type { HankoEvent, HankoEventPrefix, HankoEventsMatching } from './hanko-webhook.events.js';

/** Namespaced metadata key of @OnHankoEvent(): the prefixes a method subscribes to. */
export const HANKO_EVENT_KEY = 'HANKO_AUTH:EVENT';

/** A method that may handle every event matching `P`: its parameter is typed by the subscription. */
export type HankoEventHandler<P extends string> = (event: HankoEvent<HankoEventsMatching<P>>) => unknown;

/**
 * Calls the decorated method of a provider or controller for every verified Hanko event whose name
 * is, or starts with, one of `prefixes` (Hanko's own rule: `session.delete` gets every delete event).
 * Handlers run after Hanko got its 200; an error is logged (without the payload) and never retried:
 * a handler that needs retries owns them.
 *
 * ```ts
 * @OnHankoEvent('user.create')
 * provision(event: HankoEvent<'user.create'>) { ... event.data.emails ... }
 * ```
 */
export function OnHankoEvent<P extends HankoEventPrefix>(
  ...prefixes: [P, ...P[]]
): (target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<HankoEventHandler<P>>) => void {
  const decorate = SetMetadata(HANKO_EVENT_KEY, [...prefixes]);
  return (target, key, descriptor) => {
    decorate(target, key, descriptor);
  };
}
