import { createHmac, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

/** Builds tokens the way an attacker would: any header, any payload text, any signature. */
export const b64 = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/** The (unverified) claims of a token, e.g. to learn the session id the issuer chose. */
export const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as Record<string, unknown>;

export function forge(header: unknown, payload: unknown, signature = ''): string {
  const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
  return `${b64(text(header))}.${b64(text(payload))}.${signature}`;
}

export function hs256(header: Record<string, unknown>, payload: unknown, secret: string | Buffer): string {
  const input = forge(header, payload).slice(0, -1);
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

export function signWith(
  header: Record<string, unknown>,
  payload: unknown,
  key: KeyObject,
  algorithm: 'sha256' | 'sha512' = 'sha256',
  options: Partial<{ padding: number; dsaEncoding: 'ieee-p1363' | 'der' }> = {},
): string {
  const input = forge(header, payload).slice(0, -1);
  const signature = sign(algorithm, Buffer.from(input), { key, ...options });
  return `${input}.${signature.toString('base64url')}`;
}

export const attackerRsaKey = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
