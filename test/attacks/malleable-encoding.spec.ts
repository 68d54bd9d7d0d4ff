import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { HankoAuthModule } from '../../src/index.js';
import { HankoTestIssuer } from '../../src/testing/index.js';
import { precheckToken } from '../../src/token/hanko-token.precheck.js';
import { ADAPTERS, call, startApp, type StartedApp } from '../support/app.factory.js';
import { expectRefused } from '../support/refusal.expect.js';
import { ProtectedController } from '../support/test.controllers.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Every other spelling of a segment that decodes to the same bytes: the unused low bits of its last character varied. */
function respellings(segment: string): string[] {
  const head = segment.slice(0, -1);
  return [...ALPHABET]
    .map((c) => head + c)
    .filter((s) => s !== segment && Buffer.from(s, 'base64url').equals(Buffer.from(segment, 'base64url')));
}

/** A segment whose length leaves unused bits (length % 4 of 2 or 3): pad the claims until it does. */
function withUnusedBits(issuer: HankoTestIssuer, index: 0 | 1 | 2): string {
  for (let pad = 0; pad < 4; pad++) {
    const token = issuer.sign({ pad: 'x'.repeat(pad) }, index === 0 ? { header: { pad: 'y'.repeat(pad) } } : {});
    if (token.split('.')[index].length % 4 !== 0) return token;
  }
  throw new Error('unreachable: four lengths in a row cover every remainder');
}

let issuer: HankoTestIssuer;
beforeAll(async () => {
  // 2048 bits: a 256-byte signature ends with 4 unused bits, 16 spellings of one signature.
  issuer = await HankoTestIssuer.start({ modulusLength: 2048 });
});
afterAll(() => issuer.close());

describe('canonical base64url in the pre-check', () => {
  it('accepts a segment exactly when it re-encodes to itself (every last character, both remainders)', () => {
    const token = issuer.sign();
    const [header, payload] = token.split('.');
    let checked = 0;
    for (const length of [2, 3, 6, 7, 42, 43]) {
      for (const last of ALPHABET) {
        const signature = 'A'.repeat(length - 1) + last;
        const canonical = Buffer.from(signature, 'base64url').toString('base64url') === signature;
        const accepted = (() => {
          try {
            precheckToken(`${header}.${payload}.${signature}`, 8192);
            return true;
          } catch {
            return false;
          }
        })();
        expect([signature, accepted]).toEqual([signature, canonical]);
        checked++;
      }
    }
    expect(checked).toBe(6 * 64);
  });
});

describe.each(ADAPTERS)('malleable token encodings over %s', (adapter) => {
  let app: StartedApp;
  beforeAll(async () => {
    app = await startApp(adapter, [HankoAuthModule.forRoot({ apiUrl: issuer.apiUrl, audience: 'localhost' })], [ProtectedController]);
  });
  afterAll(() => app.app.close());

  it('refuses all 15 other spellings of a signature (unused low bits of its last character)', async () => {
    const token = issuer.sign();
    const [header, payload, signature] = token.split('.');
    expect(signature.length % 4).toBe(2);
    expect((await call(app.url, '/protected', { token })).status).toBe(200);
    const variants = respellings(signature);
    expect(variants).toHaveLength(15);
    for (const variant of variants) await expectRefused(app.url, `${header}.${payload}.${variant}`, 'malformed token');
  });

  it.each([
    ['header', 0],
    ['payload', 1],
  ] as const)('refuses another spelling of the %s', async (_name, index) => {
    const token = withUnusedBits(issuer, index);
    expect((await call(app.url, '/protected', { token })).status).toBe(200);
    const parts = token.split('.');
    const variants = respellings(parts[index]);
    expect(variants.length).toBeGreaterThanOrEqual(3);
    for (const variant of variants) {
      const forged = [...parts];
      forged[index] = variant;
      await expectRefused(app.url, forged.join('.'), 'malformed token');
    }
  });
});
