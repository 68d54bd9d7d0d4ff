import type { IncomingMessage } from 'node:http';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { HankoAuthConfig } from '../hanko-auth.config.js';
import { HankoWebhookReceiver, isJsonContentType } from './hanko-webhook.receiver.js';

/** Express's or Fastify's request, or a bare Node one: where the body and headers may be. */
type RouteRequest = IncomingMessage & { body?: unknown; raw?: IncomingMessage };

/**
 * Mounts `POST <webhooks.path>` on the application's HTTP adapter (Express or Fastify) when
 * webhooks are on. Mounted on the adapter, not as a controller, so the path can come from
 * forRootAsync options; it sits outside Nest's guards, as it must: Hanko sends no session, and the
 * delivery's own token is the credential. Hence also no global prefix.
 */
@Injectable()
export class HankoWebhookRoute implements OnModuleInit {
  protected readonly logger = new Logger('HankoAuth');

  constructor(
    private readonly config: HankoAuthConfig,
    private readonly receiver: HankoWebhookReceiver,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  onModuleInit(): void {
    if (this.config.webhooks === false) return;
    const adapter = this.adapterHost.httpAdapter;
    if (adapter === undefined || adapter === null) {
      this.logger.warn('webhooks: no HTTP adapter in this application, so nothing receives Hanko webhooks');
      return;
    }
    const limit = this.config.webhooks.maxBodyBytes;
    adapter.post(this.config.webhooks.path, (request: RouteRequest, response: unknown) => {
      // Never an unhandled rejection, and always an answer: Hanko would otherwise wait out its 10 s.
      void this.handle(request, limit)
        .catch(() => ({ status: 400, body: { error: 'unreadable delivery' } }))
        .then((answer) => {
          adapter.reply(response, answer.body, answer.status);
        })
        .catch(() => this.logger.debug('webhooks: could not answer a delivery (connection gone)'));
    });
  }

  private async handle(request: RouteRequest, limit: number): Promise<{ status: number; body: unknown }> {
    const headers = (request.raw ?? request).headers;
    // The declared size first: an oversized delivery is refused before a byte of it is parsed.
    const declared = Number(headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) return { status: 413, body: { error: 'body too large' } };
    let body = request.body;
    // Only a JSON delivery is worth reading; the receiver answers anything else with 415.
    if (body === undefined && isJsonContentType(headers['content-type'])) {
      // The app turned its body parser off: read the stream ourselves, within the limit.
      const raw = await readBody(request.raw ?? request, limit);
      if (raw === undefined) return { status: 413, body: { error: 'body too large' } };
      body = raw;
    }
    return this.receiver.receive({ contentType: headers['content-type'], body });
  }
}

function readBody(stream: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        stream.pause();
        resolve(undefined);
      } else chunks.push(chunk);
    });
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', () => resolve(undefined));
  });
}
