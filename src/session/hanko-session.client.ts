import { HankoHttpError, requestHankoJson, type HankoHttpOptions } from '../http/hanko-http.request.js';
import type { HankoCallFailureKind } from '../http/hanko-circuit.breaker.js';
import type { HankoUser } from './hanko-user.js';

/**
 * Hanko's /sessions/validate could not give a usable answer; `detail` is our own wording, safe to
 * log; `kind` says whether Hanko failed, refused (4xx) or we gave up (a HankoCallFailure).
 */
export class HankoSessionCheckError extends Error {
  constructor(
    readonly detail: string,
    readonly kind: HankoCallFailureKind = 'outage',
  ) {
    super(detail);
    this.name = 'HankoSessionCheckError';
  }
}

/**
 * One `GET {apiUrl}/sessions/validate` with the token as Bearer: true when Hanko says this very
 * session (and user) is alive. GET, not POST: POST counts as user activity and would extend idle
 * timeouts whenever our cache happened to expire, at times unrelated to what the user does.
 */
export async function askHankoIsLive(
  apiUrl: string,
  user: HankoUser,
  token: string,
  options: Omit<HankoHttpOptions, 'headers'>,
): Promise<boolean> {
  let answer: unknown;
  try {
    answer = (await requestHankoJson(`${apiUrl}/sessions/validate`, { ...options, headers: { authorization: `Bearer ${token}` } })).json;
  } catch (error) {
    if (error instanceof HankoHttpError) throw new HankoSessionCheckError(error.detail, error.kind);
    throw new HankoSessionCheckError('request failed');
  }
  const body = answer as { is_valid?: unknown; claims?: { session_id?: unknown; subject?: unknown } } | null;
  if (typeof body?.is_valid !== 'boolean') throw new HankoSessionCheckError('answer without is_valid');
  if (!body.is_valid) return false;
  // Alive, but for another session or user? Never trust that answer for this one.
  const claims = body.claims;
  if (claims?.session_id !== undefined && claims.session_id !== user.sessionId) return false;
  if (claims?.subject !== undefined && claims.subject !== user.id) return false;
  return true;
}
