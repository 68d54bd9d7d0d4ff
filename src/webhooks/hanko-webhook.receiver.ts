import { createHash } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { HankoAuthConfig } from '../hanko-auth.config.js';
import { HankoRevocationFleet } from './hanko-revocation.fleet.js';
import { HankoRevocationMarks } from './hanko-revocation.marks.js';
import { revocationFor } from './hanko-revocation.policy.js';
import { HankoWebhookDispatcher } from './hanko-webhook.dispatcher.js';
import type { HankoEvent } from './hanko-webhook.events.js';
import { HankoWebhookRefusal, HankoWebhookVerifier } from './hanko-webhook.verifier.js';

/** A delivery as the route hands it over: the declared content type and the parsed (or raw) body. */
export interface HankoWebhookDelivery {
  readonly contentType: string | undefined;
  readonly body: unknown;
}

/** The answer for Hanko: a status below 400 counts as delivered. */
export interface HankoWebhookAnswer {
  readonly status: number;
  readonly body: { readonly status: 'accepted' | 'duplicate' } | { readonly error: string };
}

/** Remembered deliveries above this many are swept of expired ones. */
const SEEN_SWEEP_AT = 1_000;

/**
 * Turns one delivery into its effects, in the order that keeps Hanko's hook alive and the door shut:
 * verify; mark revoked sessions in this process (synchronously, before answering) and tell the
 * fleet (in the background); answer; then run the app's handlers, whose outcome never changes the
 * answer. A replay of a delivery within its 5-minute validity changes nothing and reaches no handler
 * twice: per instance by its digest, across a fleet (webhooks.redis) by a claim in Redis.
 */
@Injectable()
export class HankoWebhookReceiver {
  protected readonly logger = new Logger('HankoAuth');
  /** sha256 of each accepted token until it expires: replays are answered, not acted on. */
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly config: HankoAuthConfig,
    private readonly verifier: HankoWebhookVerifier,
    private readonly marks: HankoRevocationMarks,
    private readonly fleet: HankoRevocationFleet,
    private readonly dispatcher: HankoWebhookDispatcher,
  ) {}

  async receive(delivery: HankoWebhookDelivery): Promise<HankoWebhookAnswer> {
    try {
      const body = this.parse(delivery);
      const verified = await this.verifier.verify(body);
      const digest = createHash('sha256')
        .update((body as { token: string }).token)
        .digest('base64url');
      if (this.seen.has(digest)) return { status: 200, body: { status: 'duplicate' } };
      this.remember(digest, verified.expiresAt);
      const mark = revocationFor(verified.event, {
        sessionLifespan: this.config.webhooks === false ? 0 : this.config.webhooks.sessionLifespan,
        clockTolerance: this.config.clockTolerance,
      });
      if (mark !== undefined && this.marks.add(mark)) this.fleet.share(mark);
      // After the answer: handlers may take their time, Hanko waits 10 s at most and never retries.
      setImmediate(() => void this.dispatchOnce(digest, verified.expiresAt, verified.event));
      return { status: 200, body: { status: 'accepted' } };
    } catch (error) {
      if (error instanceof HankoWebhookRefusal) {
        this.logger.debug(`Refused a webhook delivery: ${error.reason}`);
        return { status: error.status, body: { error: error.reason } };
      }
      this.logger.error(`Unexpected error while receiving a webhook (${error instanceof Error ? error.name : typeof error})`);
      return { status: 503, body: { error: 'unexpected error' } };
    }
  }

  /** Runs the app's handlers unless another instance of the fleet already did for this delivery (a replay). */
  private async dispatchOnce(digest: string, expiresAt: number, event: HankoEvent): Promise<void> {
    if (!(await this.fleet.claimDelivery(digest, expiresAt))) {
      this.logger.debug('webhooks: another instance already received this delivery; handlers not run again');
      return;
    }
    await this.dispatcher.dispatch(event);
  }

  private parse(delivery: HankoWebhookDelivery): unknown {
    // Hanko sends application/json and nothing else; a form post from a browser is not Hanko.
    if (!isJsonContentType(delivery.contentType)) throw new HankoWebhookRefusal(415, 'content type must be application/json');
    const limit = this.config.webhooks === false ? 0 : this.config.webhooks.maxBodyBytes;
    let body = delivery.body;
    if (typeof body === 'string' || Buffer.isBuffer(body)) {
      if (body.length > limit) throw new HankoWebhookRefusal(413, 'body too large');
      try {
        body = JSON.parse(body.toString()) as unknown;
      } catch {
        throw new HankoWebhookRefusal(400, 'body is not JSON');
      }
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new HankoWebhookRefusal(400, 'body must be a JSON object');
    return body;
  }

  private remember(digest: string, expiresAt: number): void {
    if (this.seen.size >= SEEN_SWEEP_AT) {
      const now = Date.now();
      for (const [key, until] of this.seen) if (until <= now) this.seen.delete(key);
    }
    this.seen.set(digest, expiresAt);
  }
}

/** Whether a Content-Type header says JSON: the one rule for the route (read the body?) and the receiver (415?). */
export function isJsonContentType(header: string | undefined): boolean {
  return header?.split(';')[0].trim().toLowerCase() === 'application/json';
}
