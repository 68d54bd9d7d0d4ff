import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Hanko's own test material, from ../shared/hanko-vectors (see its README). */
const dir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'shared', 'hanko-vectors');

export const hankoVectors = {
  key1PrivateJwk: JSON.parse(readFileSync(join(dir, 'key1.json'), 'utf8')),
  key1Jwks: JSON.parse(readFileSync(join(dir, 'key1.public.jwks.json'), 'utf8')),
  expiredSessionToken: readFileSync(join(dir, 'expired-session-token.jwt'), 'utf8').trim(),
  wrongSignatureToken: readFileSync(join(dir, 'wrong-signature-token.jwt'), 'utf8').trim(),
};
