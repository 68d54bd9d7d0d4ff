import { readFileSync } from 'node:fs';
import type { JsonWebKey } from 'node:crypto';

/** Hanko's own test material, kept in test/fixtures/hanko (see its README for where each file comes from). */
const fixture = (name: string) => readFileSync(new URL(`../fixtures/hanko/${name}`, import.meta.url), 'utf8');

export const hankoVectors = {
  key1PrivateJwk: JSON.parse(fixture('key1.json')) as JsonWebKey,
  key1Jwks: JSON.parse(fixture('key1.public.jwks.json')) as { keys: JsonWebKey[] },
  expiredSessionToken: fixture('expired-session-token.jwt').trim(),
  wrongSignatureToken: fixture('wrong-signature-token.jwt').trim(),
};
