import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HankoKeyOptions } from '../../src/index.js';
import { HankoTestIssuer } from '../../src/testing/index.js';
import { GUARDS, call, hankoAuth, startApp } from '../support/app.factory.js';
import { ProtectedController } from '../support/test.controllers.js';

/** A private CA and a server certificate for 127.0.0.1, as a self-hosted Hanko behind an internal CA would have. */
function makeCertificates(dir: string) {
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Test Private CA');
  run('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1\n');
  run(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.pem',
    '-days',
    '2',
    '-extfile',
    'ext.cnf',
  );
  return {
    ca: readFileSync(join(dir, 'ca.pem'), 'utf8'),
    key: readFileSync(join(dir, 'server.key')),
    cert: readFileSync(join(dir, 'server.pem')),
  };
}

let dir: string;
let issuer: HankoTestIssuer;
let ca: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hanko-ca-'));
  const certs = makeCertificates(dir);
  ca = certs.ca;
  issuer = await HankoTestIssuer.start({ modulusLength: 2048, tls: { key: certs.key, cert: certs.cert } });
});
afterAll(async () => {
  await issuer.close();
  rmSync(dir, { recursive: true, force: true });
});

describe.each(GUARDS)('through %s', (guard) => {
  describe('self-hosted Hanko behind a private CA', () => {
    const boot = (keys: HankoKeyOptions) =>
      startApp('express', hankoAuth(guard, { apiUrl: issuer.apiUrl, audience: 'localhost', keys: { fetchTimeout: 2, ...keys } }), [
        ProtectedController,
      ]);

    it('never skips TLS verification: an untrusted certificate means 503, not acceptance', async () => {
      expect(issuer.apiUrl).toMatch(/^https:/);
      const app = await boot({ prefetch: false });
      const res = await call(app.url, '/protected', { token: issuer.sign() });
      expect(res.status).toBe(503);
      expect(app.logger.text()).toMatch(
        /key endpoint: endpoint unreachable \((SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|DEPTH_ZERO_SELF_SIGNED_CERT)/,
      );
      await app.app.close();
    });

    it('trusts the private CA given as keys.ca', async () => {
      const app = await boot({ ca });
      expect((await call(app.url, '/protected', { token: issuer.sign() })).status).toBe(200);
      await app.app.close();
    });
  });
});
