/**
 * Decides whether accepting a request was allowed. "Altered" means: no unaltered token Hanko signed
 * appears in what the client sent. A token counts as unaltered only as the exact string the issuer
 * produced; what a careful reader would call the same token (padding, spaces around it, a quoted
 * cookie) is stripped by the extractor before the token runs are compared, so those are exact too.
 *
 * One class is reported, not failed: the same header and payload with a signature segment whose
 * last character differs only in its unused trailing bits. It decodes to the very bytes that were
 * signed, so every base64 decoder (Node's, jws's) verifies it; refusing it is a hardening that
 * branch `security` adds (non-canonical base64url). See `KNOWN_SIGNATURE_CLASS`.
 */
export const KNOWN_SIGNATURE_CLASS = 'non-canonical base64url signature (same signed bytes)';

export type Verdict =
  | { allowed: true; users: Set<string>; known: false }
  | { allowed: true; users: Set<string>; known: true }
  | { allowed: false; users: Set<string>; known: false };

export class AcceptanceOracle {
  /** token → user id (`sub`) */
  private readonly tokens = new Map<string, string>();
  /** `header.payload` → { signature bytes, user id } */
  private readonly inputs = new Map<string, { signature: Buffer; user: string }>();

  add(token: string, user: string): void {
    this.tokens.set(token, user);
    const [h, p, s] = token.split('.');
    this.inputs.set(`${h}.${p}`, { signature: Buffer.from(s, 'base64url'), user });
  }

  /** Which users an acceptance may legitimately name, given everything the client sent. */
  judge(...texts: Array<string | string[] | undefined>): Verdict {
    const exact = new Set<string>();
    const equivalent = new Set<string>();
    for (const text of texts.flat()) {
      if (typeof text !== 'string') continue;
      for (const run of text.match(/[A-Za-z0-9_.-]+/g) ?? []) {
        const user = this.tokens.get(run);
        if (user !== undefined) {
          exact.add(user);
          continue;
        }
        const segs = run.split('.');
        if (segs.length !== 3) continue;
        const signed = this.inputs.get(`${segs[0]}.${segs[1]}`);
        if (signed !== undefined && Buffer.from(segs[2], 'base64url').equals(signed.signature)) equivalent.add(signed.user);
      }
    }
    if (exact.size > 0) return { allowed: true, users: new Set([...exact, ...equivalent]), known: false };
    if (equivalent.size > 0) return { allowed: true, users: equivalent, known: true };
    return { allowed: false, users: exact, known: false };
  }
}

/** RFC 6750 challenges as HankoGuard writes them (401: realm, optionally invalid_token; 403: insufficient_scope). */
export const CHALLENGE_401 = /^Bearer realm="hanko"(, error="invalid_token", error_description="[a-zA-Z ]+")?$/;
export const CHALLENGE_403 = /^Bearer realm="hanko", error="insufficient_scope", error_description="[^"]+"$/;

/** A refusal's status and headers are the documented ones: the problem, if any, in words. */
export function refusalProblem(status: number, header: (name: string) => string | undefined): string | undefined {
  if (status === 401) {
    const challenge = header('www-authenticate');
    return challenge !== undefined && CHALLENGE_401.test(challenge) ? undefined : `401 with WWW-Authenticate ${JSON.stringify(challenge)}`;
  }
  if (status === 403) {
    const challenge = header('www-authenticate');
    return challenge !== undefined && CHALLENGE_403.test(challenge) ? undefined : `403 with WWW-Authenticate ${JSON.stringify(challenge)}`;
  }
  if (status === 503) {
    const retryAfter = header('retry-after');
    return retryAfter !== undefined && /^[1-9][0-9]*$/.test(retryAfter) ? undefined : `503 with Retry-After ${JSON.stringify(retryAfter)}`;
  }
  return `status ${status}`;
}
