import type { HttpException } from '@nestjs/common';
import { hankoRefusalPayload } from './hanko-transport.payload.js';

/** Apollo's codes where there is one; clients switch on `extensions.code`. */
const GRAPHQL_CODES: Record<number, string> = { 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN', 503: 'SERVICE_UNAVAILABLE' };

/**
 * A refusal as a GraphQL error. graphql-js copies the `extensions` of a resolver's exception into its
 * `errors[]` entry (under Apollo and Mercurius alike), so the client gets
 * `{ message: "token expired", extensions: { code: "UNAUTHENTICATED", statusCode: 401 } }`.
 * It stays the same HttpException, so the app's exception filters still match it; Apollo's own
 * HttpException mapping (on by default) agrees on 401 and 403, and reports a 503 as
 * INTERNAL_SERVER_ERROR with `status: 503` (our statusCode and retryAfter stay).
 */
export function withGraphqlExtensions<T extends HttpException>(exception: T): T {
  const { statusCode, retryAfter } = hankoRefusalPayload(exception);
  const extensions = {
    code: GRAPHQL_CODES[statusCode] ?? 'INTERNAL_SERVER_ERROR',
    statusCode,
    ...(retryAfter === undefined ? {} : { retryAfter }),
  };
  return Object.assign(exception, { extensions });
}
