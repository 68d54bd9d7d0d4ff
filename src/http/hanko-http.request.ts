import { setMaxListeners } from 'node:events';
import http from 'node:http';
import https from 'node:https';
import type { Agent } from 'node:http';

export interface HankoHttpOptions {
  headers?: Record<string, string>;
  timeoutMs: number;
  maxBytes: number;
  ca?: string | Buffer | Array<string | Buffer>;
  agent?: Agent;
  signal?: AbortSignal;
}

export interface HankoHttpResponse {
  headers: http.IncomingHttpHeaders;
  /** Parsed JSON body (2xx only). */
  json: unknown;
}

/** A failed call to Hanko; `detail` is our own short wording, safe to log (no URLs' secrets, no tokens). */
export class HankoHttpError extends Error {
  constructor(readonly detail: string) {
    super(detail);
    this.name = 'HankoHttpError';
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
    const finish = (error: HankoHttpError | undefined, response?: HankoHttpResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (error) {
        request?.destroy();
        reject(error);
      } else {
        resolve(response!);
      }
    };
    const onAbort = () => finish(new HankoHttpError('request aborted'));
    const timer = setTimeout(() => finish(new HankoHttpError(`no complete answer within ${options.timeoutMs} ms`)), options.timeoutMs);

    try {
      request = transport.request(
        target,
        {
          method: 'GET',
          headers: { accept: 'application/json', connection: 'close', ...options.headers },
          // A private agent per call unless the app brings its own: no idle socket outlives the app.
          agent: options.agent ?? false,
          ...(options.ca !== undefined ? { ca: options.ca } : {}),
        },
        (response) => {
          const status = response.statusCode ?? 0;
          if (status >= 300 && status < 400) {
            return finish(new HankoHttpError(`endpoint redirected (${status}); redirects are not followed`));
          }
          if (status < 200 || status >= 300) return finish(new HankoHttpError(`endpoint answered ${status}`));
          const declared = Number(response.headers['content-length']);
          if (declared > options.maxBytes) return finish(tooLarge(options.maxBytes));
          const chunks: Buffer[] = [];
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > options.maxBytes) return finish(tooLarge(options.maxBytes));
            chunks.push(chunk);
          });
          response.on('error', () => finish(new HankoHttpError('connection broke')));
          response.on('end', () => {
            if (settled) return;
            let json: unknown;
            try {
              json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
            } catch {
              return finish(new HankoHttpError('answer is not valid JSON'));
            }
            finish(undefined, { headers: response.headers, json });
          });
        },
      );
    } catch {
      // e.g. an agent for the wrong protocol, or an unusable CA: a failed call, never a crash.
      return finish(new HankoHttpError('request could not be made (check keys.agent / keys.ca)'));
    }
    request.on('error', (error: NodeJS.ErrnoException) => {
      finish(new HankoHttpError(`endpoint unreachable (${error.code ?? 'connection error'})`));
    });
    if (options.signal?.aborted) return onAbort();
    // One long-lived signal serves every call of a key source or validator: many listeners are expected.
    if (options.signal) setMaxListeners(0, options.signal);
    options.signal?.addEventListener('abort', onAbort);
    request.end();
  });
}

function tooLarge(maxBytes: number): HankoHttpError {
  return new HankoHttpError(`answer larger than ${maxBytes} bytes`);
}
