import { expect } from '@jest/globals';
import { call } from './app.factory.js';

/** Asserts a clean 401 invalid_token with our fixed phrase, and that nothing of the token or a library leaks. */
export async function expectRefused(url: string, token: string, description?: string, path = '/protected') {
  const res = await call<object>(url, path, { token });
  expect(res.status).toBe(401);
  const challenge = res.headers.get('www-authenticate') ?? '';
  expect(challenge).toMatch(/^Bearer realm="hanko", error="invalid_token", error_description="[a-zA-Z ]+"$/);
  if (description !== undefined) expect(challenge).toContain(`error_description="${description}"`);
  expect(Object.keys(res.body).sort()).toEqual(['error', 'message', 'statusCode']);
  expectNoLeak(res.text + challenge, token);
  return res;
}

/** No token and no segment of one (header, payload, signature) in a text. */
export function expectNoToken(text: string, ...tokens: string[]) {
  for (const token of tokens) {
    for (const part of token.split('.').filter((p) => p.length >= 16)) expect(text).not.toContain(part);
  }
}

/** For responses: no token, no library wording, no key URL. */
export function expectNoLeak(text: string, ...tokens: string[]) {
  expectNoToken(text, ...tokens);
  expect(text).not.toMatch(/SyntaxError|Unexpected token|JsonWebTokenError|jwt malformed|\.well-known|secretOrPublicKey/);
}
