import { HankoHttpError, requestHankoJson } from '../http/hanko-http.request.js';
/** A failed key fetch; `detail` is our own short wording, safe to log. */
export class JwksFetchError extends Error {
    detail;
    constructor(detail) {
        super(detail);
        this.detail = detail;
        this.name = 'JwksFetchError';
    }
}
/** GET Hanko's JWKS (deadline, size cap, no redirects, verified TLS) and check its shape. */
export async function fetchJwks(url, options) {
    let response;
    try {
        response = await requestHankoJson(url, options);
    }
    catch (error) {
        throw new JwksFetchError(`key endpoint: ${error instanceof HankoHttpError ? error.detail : 'request failed'}`);
    }
    const keys = response.json?.keys;
    if (!Array.isArray(keys))
        throw new JwksFetchError('key set has no "keys" array');
    const cacheControl = response.headers['cache-control'];
    const maxAge = /(?:^|,)\s*max-age=(\d+)/i.exec(cacheControl ?? '')?.[1];
    return { keys, maxAge: maxAge === undefined ? undefined : Number(maxAge) };
}
//# sourceMappingURL=hanko-jwks.fetcher.js.map