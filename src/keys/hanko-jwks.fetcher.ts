import http from 'node:http';
import https from 'node:https';
import type { Agent } from 'node:http';

export interface JwksFetchOptions {
  timeoutMs: number;
  maxBytes: number;
  ca?: string | Buffer | Array<string | Buffer>;
  agent?: Agent;
  signal?: AbortSignal;
}

export interface JwksDocument {
  keys: unknown[];
  /** `Cache-Control: max-age` in seconds, when the endpoint sent one. */
  maxAge: number | undefined;
}

/** A failed key fetch; `detail` is our own short wording, safe to log. */
export class JwksFetchError extends Error {
  constructor(readonly detail: string) {
    super(detail);
    this.name = 'JwksFetchError';
  }
}

/**
 * GET the JWKS with what jwks-rsa's own request lacks: one deadline covering connect, headers and a
 * slow-dripping body; a body size cap; no redirects (a 3xx is a failure, so the key URL can't be
 * moved elsewhere); TLS always verified, with an optional private CA.
 */
export function fetchJwks(url: string, options: JwksFetchOptions): Promise<JwksDocument> {
  return new Promise<JwksDocument>((resolve, reject) => {
    const target = new URL(url);
    const transport = target.protocol === 'https:' ? https : http;
    let settled = false;
    const finish = (error: JwksFetchError | undefined, document?: JwksDocument) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (error) {
        request.destroy();
        reject(error);
      } else {
        resolve(document!);
      }
    };
    const onAbort = () => finish(new JwksFetchError('fetch aborted'));
    const timer = setTimeout(
      () => finish(new JwksFetchError(`no complete answer within ${options.timeoutMs} ms`)),
      options.timeoutMs,
    );

    const request = transport.request(
      target,
      {
        method: 'GET',
        headers: { accept: 'application/json', connection: 'close' },
        // A private agent per fetch unless the app brings its own: fetches are rare, and no idle
        // socket outlives the application.
        agent: options.agent ?? false,
        ...(options.ca !== undefined ? { ca: options.ca } : {}),
      },
      (response) => {
        const status = response.statusCode ?? 0;
        if (status >= 300 && status < 400) {
          return finish(new JwksFetchError(`key endpoint redirected (${status}); redirects are not followed`));
        }
        if (status < 200 || status >= 300) return finish(new JwksFetchError(`key endpoint answered ${status}`));
        const declared = Number(response.headers['content-length']);
        if (declared > options.maxBytes) return finish(tooLarge(options.maxBytes));
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > options.maxBytes) return finish(tooLarge(options.maxBytes));
          chunks.push(chunk);
        });
        response.on('error', () => finish(new JwksFetchError('key endpoint connection broke')));
        response.on('end', () => {
          if (settled) return;
          try {
            finish(undefined, parseDocument(Buffer.concat(chunks), response.headers['cache-control']));
          } catch (error) {
            finish(error instanceof JwksFetchError ? error : new JwksFetchError('key set is not valid JSON'));
          }
        });
      },
    );
    request.on('error', (error: NodeJS.ErrnoException) => {
      finish(new JwksFetchError(`key endpoint unreachable (${error.code ?? 'connection error'})`));
    });
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort);
    request.end();
  });
}

function tooLarge(maxBytes: number): JwksFetchError {
  return new JwksFetchError(`key set larger than ${maxBytes} bytes`);
}

function parseDocument(body: Buffer, cacheControl: string | undefined): JwksDocument {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new JwksFetchError('key set is not valid JSON');
  }
  const keys = (value as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) throw new JwksFetchError('key set has no "keys" array');
  const maxAge = /(?:^|,)\s*max-age=(\d+)/i.exec(cacheControl ?? '')?.[1];
  return { keys, maxAge: maxAge === undefined ? undefined : Number(maxAge) };
}
