import { setMaxListeners } from 'node:events';
import http from 'node:http';
import https from 'node:https';
import type { Agent } from 'node:http';
import type { HankoLatencyEstimate } from './hanko-latency.estimate.js';

export interface HankoHttpOptions {
  headers?: Record<string, string>;
  timeoutMs: number;
  maxBytes: number;
  ca?: string | Buffer | Array<string | Buffer>;
  agent?: Agent;
  signal?: AbortSignal;
  /** Learns from this call how fast Hanko answers (any status counts: Hanko was there). */
  latency?: HankoLatencyEstimate;
}

export interface HankoHttpResponse {
  headers: http.IncomingHttpHeaders;
  /** Parsed JSON body (2xx only). */
  json: unknown;
}

/** A failed call to Hanko; `detail` is our own short wording, safe to log (no URLs' secrets, no tokens). */
export class HankoHttpError extends Error {
  constructor(
    readonly detail: string,
    /** The status Hanko answered with, when it answered at all. */
    readonly status?: number,
    /** Our own shutdown ended the call: it says nothing about Hanko. */
    readonly aborted = false,
  ) {
    super(detail);
    this.name = 'HankoHttpError';
  }

  /**
   * `outage`: the endpoint is down or overloaded (no answer, a broken one, 5xx, 408, 429).
   * `refused`: it answered with a refusal (3xx, other 4xx: a wrong URL or a proxy's rule), which
   * asking again soon would not change and which does not pile up. `aborted`: we gave up, not Hanko.
   */
  get kind(): 'outage' | 'refused' | 'aborted' {
    const status = this.status;
    if (this.aborted) return 'aborted';
    return status === undefined || status >= 500 || status === 408 || status === 429 ? 'outage' : 'refused';
  }
}

/**
 * One JSON GET to Hanko with what plain clients lack: a single deadline covering connect,
 * headers and a slow-dripping body; a body size cap; no redirects (a 3xx is a failure, so nobody
 * can move the endpoint elsewhere); TLS always verified, with an optional private CA.
 */
export function requestHankoJson(url: string, options: HankoHttpOptions): Promise<HankoHttpResponse> {
  return new Promise<HankoHttpResponse>((resolve, reject) => {
    const target = new URL(url);
    const transport = target.protocol === 'https:' ? https : http;
    let settled = false;
    let request: http.ClientRequest | undefined;
    const startedAt = Date.now();
    const finish = (error: HankoHttpError | undefined, response?: HankoHttpResponse) => {
      if (settled) return;
      settled = true;
      if (error === undefined || error.status !== undefined) options.latency?.sample(Date.now() - startedAt);
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (error) {
        request?.destroy();
        reject(error);
      } else {
        resolve(response!);
      }
    };
    const onAbort = () => finish(new HankoHttpError('request aborted', undefined, true));
    const timer = setTimeout(() => finish(new HankoHttpError(`no complete answer within ${options.timeoutMs} ms`)), options.timeoutMs);

    const send = (retried: boolean): void => {
      try {
        request = transport.request(
          target,
          {
            method: 'GET',
            // Keep-alive through the agent; without one, a private connection per call that is closed after it.
            headers: { accept: 'application/json', ...(options.agent ? {} : { connection: 'close' }), ...options.headers },
            agent: options.agent ?? false,
            ...(options.ca !== undefined ? { ca: options.ca } : {}),
          },
          (response) => receive(response, options.maxBytes, finish),
        );
      } catch {
        // e.g. an agent for the wrong protocol, or an unusable CA: a failed call, never a crash.
        return finish(new HankoHttpError('request could not be made (check keys.agent / keys.ca)'));
      }
      const sent = request;
      sent.on('error', (error: NodeJS.ErrnoException) => {
        // A kept-alive socket the server closed just as we reused it: the request never reached
        // Hanko, so sending it once more on a new socket is safe (GET) and no outage.
        if (!retried && !settled && sent.reusedSocket && error.code === 'ECONNRESET') return send(true);
        finish(new HankoHttpError(`endpoint unreachable (${error.code ?? 'connection error'})`));
      });
      sent.end();
    };

    if (options.signal?.aborted) return onAbort();
    // One long-lived signal serves every call of a key source or validator: many listeners are expected.
    if (options.signal) setMaxListeners(0, options.signal);
    options.signal?.addEventListener('abort', onAbort);
    send(false);
  });
}

/** Reads a response within the size cap: no redirects, 2xx only, JSON only. */
function receive(
  response: http.IncomingMessage,
  maxBytes: number,
  finish: (error: HankoHttpError | undefined, response?: HankoHttpResponse) => void,
): void {
  const status = response.statusCode ?? 0;
  if (status >= 300 && status < 400) {
    return finish(new HankoHttpError(`endpoint redirected (${status}); redirects are not followed`, status));
  }
  if (status < 200 || status >= 300) return finish(new HankoHttpError(`endpoint answered ${status}`, status));
  const declared = Number(response.headers['content-length']);
  if (declared > maxBytes) return finish(tooLarge(maxBytes));
  const chunks: Buffer[] = [];
  let size = 0;
  let done = false;
  response.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > maxBytes) {
      done = true;
      return finish(tooLarge(maxBytes));
    }
    chunks.push(chunk);
  });
  response.on('error', () => finish(new HankoHttpError('connection broke')));
  response.on('end', () => {
    if (done) return;
    let json: unknown;
    try {
      json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return finish(new HankoHttpError('answer is not valid JSON'));
    }
    finish(undefined, { headers: response.headers, json });
  });
}

function tooLarge(maxBytes: number): HankoHttpError {
  return new HankoHttpError(`answer larger than ${maxBytes} bytes`);
}
