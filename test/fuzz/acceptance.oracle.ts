/**
 * Decides whether accepting a request was allowed. "Altered" means: no unaltered token Hanko signed
 * appears in what the client sent. A token counts as unaltered only as the exact string the issuer
 * produced (runs of token characters are compared, so spaces around it or a quoted cookie don't matter).
 *
 * Also altered: the same header and payload with a signature segment whose last character differs
 * only in its unused trailing bits. It decodes to the very bytes that were signed, so lenient base64
 * decoders verify it; the pre-check refuses non-canonical base64url, and the oracle names the class
 * (`KNOWN_SIGNATURE_CLASS`) when it shows up, so a regression says what it is.
 */
export const KNOWN_SIGNATURE_CLASS = 'non-canonical base64url signature (same signed bytes)';

export type Verdict = { allowed: true; users: Set<string>; known: false } | { allowed: false; users: Set<string>; known: boolean };

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
    return { allowed: false, users: equivalent, known: equivalent.size > 0 };
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
