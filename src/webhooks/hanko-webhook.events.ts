/**
 * The events Hanko's backend emits (backend/webhooks/events/events.go, main after v3.0.4) and what
 * their `data` holds. Types only, plus the prefix rule Hanko subscribes by.
 */
export type HankoUserEventName =
  | 'user'
  | 'user.login'
  | 'user.create'
  | 'user.update'
  | 'user.delete'
  | 'user.update.email'
  | 'user.update.email.create'
  | 'user.update.email.primary'
  | 'user.update.email.delete'
  | 'user.update.username'
  | 'user.update.username.create'
  | 'user.update.username.delete'
  | 'user.update.username.update'
  | 'user.update.password.update';

export type HankoSessionEventName =
  | 'session.create'
  | 'session.create.flow'
  | 'session.create.admin'
  | 'session.delete.explicit.logout'
  | 'session.delete.explicit.revoke'
  | 'session.delete.admin.revoke'
  | 'session.delete.passive.expire'
  | 'session.delete.passive.limit';

export type HankoEventName = HankoUserEventName | HankoSessionEventName | 'email.send';

/** Every name a subscription may use: an event, or a dot-separated prefix of one ('session.delete', 'user.update'). */
export type HankoEventPrefix = HankoEventName | PrefixesOf<HankoEventName>;
type PrefixesOf<T extends string> = T extends `${infer Head}.${infer Tail}` ? Head | `${Head}.${PrefixesOf<Tail>}` : never;

/** The events a subscription to `P` receives. */
export type HankoEventsMatching<P extends string> = Extract<HankoEventName, P | `${P}.${string}`>;

/** `data` of session events: the session as Hanko stores it (`id` is the session token's `session_id`). */
export interface HankoWebhookSession {
  id: string;
  user_id: string;
  user_agent?: string;
  ip_address?: string;
  created_at?: string;
  updated_at?: string;
  expires_at?: string;
  last_used?: string;
  [field: string]: unknown;
}

export interface HankoWebhookEmail {
  id: string;
  address: string;
  is_verified: boolean;
  is_primary: boolean;
  [field: string]: unknown;
}

/** `data` of user events: the user as Hanko's admin API shows it. Fields beyond `id` depend on the Hanko configuration. */
export interface HankoWebhookUser {
  id: string;
  emails?: HankoWebhookEmail[];
  username?: { id: string; username: string; [field: string]: unknown } | null;
  created_at?: string;
  updated_at?: string;
  [field: string]: unknown;
}

/** `data` of `email.send` (Hanko delegating email delivery to you). */
export interface HankoWebhookEmailDelivery {
  subject?: string;
  body_plain?: string;
  body_html?: string;
  to_email_address?: string;
  delivered_by_hanko?: boolean;
  language?: string;
  type?: string;
  [field: string]: unknown;
}

export type HankoEventData<E extends HankoEventName> = E extends HankoSessionEventName
  ? HankoWebhookSession
  : E extends 'email.send'
    ? HankoWebhookEmailDelivery
    : HankoWebhookUser;

/** One verified delivery, as handlers receive it. */
export type HankoEvent<E extends HankoEventName = HankoEventName> = E extends HankoEventName
  ? {
      readonly event: E;
      readonly data: Readonly<HankoEventData<E>>;
      /** When Hanko signed the delivery (its `iat`). */
      readonly issuedAt: Date;
    }
  : never;

/** What a subscription to `P` receives: `HankoEventFor<'session.delete'>` is any of the five delete events. */
export type HankoEventFor<P extends string> = HankoEvent<HankoEventsMatching<P>>;

/**
 * Hanko's subscription rule: a hook on `session.delete` receives every `session.delete.*` event.
 * Matched at dot boundaries, so `user` never matches a hypothetical `username…` event.
 */
export function eventMatches(event: string, prefix: string): boolean {
  return event === prefix || (event.length > prefix.length && event.startsWith(prefix) && event[prefix.length] === '.');
}
