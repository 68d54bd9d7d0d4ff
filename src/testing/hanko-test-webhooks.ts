import type { HankoWebhookSession } from '../webhooks/hanko-webhook.events.js';
import type { HankoTestIssuer } from './hanko-test-issuer.js';
import type { SignOptions } from './hanko-test-issuer.keys.js';

/** A Hanko session as `data` of session events, e.g. from `sessionOf(token)`. */
export type HankoTestSession = HankoWebhookSession;

export interface HankoWebhookTokenOptions extends SignOptions {
  /** Claims to add or override (`undefined` removes one), e.g. `{ exp: … }` for an expired delivery. */
  claims?: Record<string, unknown>;
}

export interface DeliverHankoWebhookOptions extends HankoWebhookTokenOptions {
  /** The receiver's path (default `/hanko/webhooks`, the module's default). */
  path?: string;
  /** Send this token instead of minting one (a replay, a session token, a forgery). */
  token?: string;
  /** The body's `event`, when it should differ from the token's `evt`. */
  bodyEvent?: string;
}

/**
 * A webhook token as Hanko mints it: signed with the issuer's session key, `aud` its audience,
 * `sub` "hanko webhooks", `evt`, `data`, `iat` and `exp` = iat + 5 min, no `iss`, no `session_id`.
 */
export function signHankoWebhook(
  issuer: HankoTestIssuer,
  event: string,
  data: Record<string, unknown>,
  options: HankoWebhookTokenOptions = {},
): string {
  const now = Math.floor(Date.now() / 1000);
  const claims = { aud: issuer.audience, data, evt: event, exp: now + 300, iat: now, sub: 'hanko webhooks', ...options.claims };
  const payload = Object.fromEntries(Object.entries(claims).filter(([, value]) => value !== undefined));
  return issuer.signPayload(payload, { kid: options.kid, header: options.header });
}

/** The session a Hanko session token belongs to, shaped like a session event's `data`. */
export function sessionOf(token: string, overrides: Partial<HankoTestSession> = {}): HankoTestSession {
  const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
  const iso = (seconds: unknown) => new Date(Number(seconds) * 1000).toISOString();
  return {
    id: String(claims.session_id),
    user_id: String(claims.sub),
    user_agent: 'Mozilla/5.0 (test)',
    ip_address: '127.0.0.1',
    created_at: iso(claims.iat),
    updated_at: iso(claims.iat),
    expires_at: iso(claims.exp),
    last_used: iso(claims.iat),
    ...overrides,
  };
}

/**
 * Delivers an event to an app the way Hanko does: `POST <baseUrl><path>` with only
 * `Content-Type: application/json` and `{"token","event"}`. `target` is the app's base URL or
 * anything with `getUrl()` (a listening INestApplication). Resolves to the app's answer.
 */
export async function deliverHankoWebhook(
  target: string | { getUrl(): Promise<string> },
  issuer: HankoTestIssuer,
  event: string,
  data: Record<string, unknown>,
  options: DeliverHankoWebhookOptions = {},
): Promise<{ status: number; body: unknown }> {
  const base = (typeof target === 'string' ? target : await target.getUrl()).replace('[::1]', '127.0.0.1');
  const token = options.token ?? signHankoWebhook(issuer, event, data, options);
  const response = await fetch(`${base}${options.path ?? '/hanko/webhooks'}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token, event: options.bodyEvent ?? event }),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: response.status, body };
}
