import { Injectable } from '@nestjs/common';
import jsonwebtoken from 'jsonwebtoken';
import { HankoAuthConfig } from '../hanko-auth.config.js';
import { HankoTokenRefusal, HankoUpstreamUnavailable } from '../errors/hanko-refusal.reason.js';
import { HankoKeySource } from '../keys/hanko-key.source.js';
import { freezeClaims, WEBHOOK_SUBJECT } from '../session/hanko-session.policy.js';
import { precheckToken } from '../token/hanko-token.precheck.js';
import type { HankoEvent, HankoEventName } from './hanko-webhook.events.js';

/** Event names as Hanko writes them; anything else is not worth a signature check. */
const EVENT_NAME = /^[a-z]+(\.[a-z_]+){0,5}$/;

/** Why a delivery was refused, as a status and a fixed phrase (never a library's message). */
export class HankoWebhookRefusal extends Error {
  constructor(
    readonly status: 400 | 401 | 413 | 415 | 503,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'HankoWebhookRefusal';
  }
}

/** A verified delivery: the event plus what replay protection and revocation marks need. */
export interface VerifiedHankoWebhook {
  readonly event: HankoEvent;
  readonly expiresAt: number;
}

/**
 * Verifies a delivery's token exactly like a session token (Hanko's key set, RS256 only, the
 * configured audience, `exp` with the clock tolerance, the same pre-check) and then requires it to
 * be a webhook: the mirror image of the session policy, which refuses webhook tokens.
 */
@Injectable()
export class HankoWebhookVerifier {
  constructor(
    private readonly config: HankoAuthConfig,
    private readonly keys: HankoKeySource,
  ) {}

  async verify(body: unknown): Promise<VerifiedHankoWebhook> {
    const { token, event } = (body ?? {}) as { token?: unknown; event?: unknown };
    if (typeof token !== 'string' || typeof event !== 'string' || !EVENT_NAME.test(event)) {
      throw new HankoWebhookRefusal(400, 'body must be {"token": "<jwt>", "event": "<event>"}');
    }
    const payload = await this.verifySignature(token);
    // A session token is signed with the same keys and audience: it must never pass as an event
    // (anyone logged in could otherwise post "their" token and forge a user.delete for themselves).
    if (payload.sub !== WEBHOOK_SUBJECT || typeof payload.evt !== 'string' || payload.session_id !== undefined) {
      throw new HankoWebhookRefusal(401, 'not a Hanko webhook token');
    }
    // The body's `event` is unsigned: a replayed token under another event name must not reach other handlers.
    if (payload.evt !== event) throw new HankoWebhookRefusal(400, 'event does not match the token');
    const data = payload.data;
    if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new HankoWebhookRefusal(400, 'token carries no event data');
    if (typeof payload.exp !== 'number' || typeof payload.iat !== 'number') throw new HankoWebhookRefusal(401, 'invalid time claims');
    // A delivery "signed" in the future was minted with a wrong clock or forged lifetimes.
    if (payload.iat > Date.now() / 1000 + this.config.clockTolerance) throw new HankoWebhookRefusal(401, 'token issued in the future');
    return {
      event: freezeClaims({ event: event as HankoEventName, data, issuedAt: new Date(payload.iat * 1000) }) as HankoEvent,
      expiresAt: (payload.exp + this.config.clockTolerance) * 1000,
    };
  }

  private async verifySignature(token: string): Promise<Record<string, unknown>> {
    try {
      // Same pre-check as sessions (size, shape, RS256 only, no embedded keys), sized for event data.
      const checked = precheckToken(token, this.config.webhooks === false ? 0 : this.config.webhooks.maxBodyBytes);
      const key = this.keys.currentKey(checked.kid) ?? (await this.keys.getKey(checked.kid, checked.issuedAt));
      // No `issuer`: Hanko's webhook tokens carry none, even when session.issuer is configured.
      const payload = jsonwebtoken.verify(token, key as unknown as string, {
        algorithms: ['RS256'],
        audience: [...this.config.audience] as [string, ...string[]],
        clockTolerance: this.config.clockTolerance,
      });
      if (payload === null || typeof payload !== 'object') throw new HankoWebhookRefusal(401, 'invalid token');
      return payload;
    } catch (error) {
      if (error instanceof HankoWebhookRefusal) throw error;
      if (error instanceof HankoUpstreamUnavailable) throw new HankoWebhookRefusal(503, 'Hanko key set unavailable');
      if (error instanceof HankoTokenRefusal) throw new HankoWebhookRefusal(401, error.reason);
      const name = (error as Error | undefined)?.name;
      throw new HankoWebhookRefusal(401, name === 'TokenExpiredError' ? 'token expired' : 'invalid token');
    }
  }
}
