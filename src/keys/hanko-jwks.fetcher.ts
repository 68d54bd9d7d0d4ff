import { HankoHttpError, requestHankoJson, type HankoHttpOptions } from '../http/hanko-http.request.js';

/** The JWKS is public: no headers of ours go with it. */
export type JwksFetchOptions = Omit<HankoHttpOptions, 'headers'>;

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

/** GET Hanko's JWKS (deadline, size cap, no redirects, verified TLS) and check its shape. */
export async function fetchJwks(url: string, options: JwksFetchOptions): Promise<JwksDocument> {
  let response;
  try {
    response = await requestHankoJson(url, options);
  } catch (error) {
    throw new JwksFetchError(`key endpoint: ${error instanceof HankoHttpError ? error.detail : 'request failed'}`);
  }
  const keys = (response.json as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) throw new JwksFetchError('key set has no "keys" array');
  const cacheControl = response.headers['cache-control'];
  const maxAge = /(?:^|,)\s*max-age=(\d+)/i.exec(cacheControl ?? '')?.[1];
  return { keys, maxAge: maxAge === undefined ? undefined : Number(maxAge) };
}
