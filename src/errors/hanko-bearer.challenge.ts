/** An RFC 6750 `WWW-Authenticate: Bearer` challenge: the realm alone, or with an error code and our fixed description. */
export function bearerChallenge(realm: string, error?: 'invalid_token' | 'insufficient_scope', description?: string): string {
  return error === undefined ? `Bearer realm="${realm}"` : `Bearer realm="${realm}", error="${error}", error_description="${description}"`;
}
