// One source for every consumer app (copied into each by .ci/consumer-check.sh): compiled as
// CommonJS for the Nest 11 app (the ESM library arrives through require(esm), its types through
// "types"/"typesVersions") and as ESM for the Nest 12 app (exports map).
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { HankoTestIssuer } from 'nestjs-hanko-auth/testing';
import { AppModule } from './app.module.js';

// Which app this is and what it must be running on: from the app's own package.json.
const manifest = JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')) as {
  name: string;
  consumerCheck: { nestMajor: number; moduleSystem: 'cjs' | 'esm' };
};
const CONSUMER = manifest.name.replace(/^consumer-/, '');
const EXPECTED = manifest.consumerCheck;

interface Reply {
  status: number;
  wwwAuthenticate: string | null;
  body: any;
}

async function call(url: string, path: string, token?: string): Promise<Reply> {
  const headers: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` };
  const response = await fetch(`${url}${path}`, { headers });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, wwwAuthenticate: response.headers.get('www-authenticate'), body };
}

function installedVersion(name: string): string {
  return (JSON.parse(readFileSync(join(process.cwd(), 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

async function main(): Promise<number> {
  const watchdog = setTimeout(() => {
    console.error(`${CONSUMER}: timed out after 60 s`);
    process.exit(1);
  }, 60_000);
  watchdog.unref();

  const checks: Record<string, boolean> = {};
  const failures: string[] = [];
  const check = (name: string, ok: boolean, detail: unknown): void => {
    checks[name] = ok;
    if (!ok) failures.push(`${name}: ${JSON.stringify(detail)}`);
  };

  const nest = installedVersion('@nestjs/core');
  const moduleSystem = typeof require === 'function' ? 'cjs' : 'esm';
  check('nestMajor', Number(nest.split('.')[0]) === EXPECTED.nestMajor, { nest });
  check('moduleSystem', moduleSystem === EXPECTED.moduleSystem, { moduleSystem });

  const issuer = await HankoTestIssuer.start({ modulusLength: 2048 });
  const app = await NestFactory.create(AppModule.forRoot(issuer.apiUrl), { logger: ['error', 'warn'] });
  try {
    await app.listen(0, '127.0.0.1');
    const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');

    const open = await call(url, '/');
    check('public 200', open.status === 200 && open.body?.user === null, open);

    const anonymous = await call(url, '/me');
    check('me 401', anonymous.status === 401, anonymous);
    check('me WWW-Authenticate', /^Bearer\b/.test(anonymous.wwwAuthenticate ?? ''), anonymous);

    const token = issuer.sign();
    const sub = (JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as { sub: string }).sub;
    const me = await call(url, '/me', token);
    check('me 200 with user id', me.status === 200 && me.body?.id === sub, { expectedId: sub, ...me });

    const viaPassport = await call(url, '/passport', token);
    check('AuthGuard(hanko) 200 with user id', viaPassport.status === 200 && viaPassport.body?.id === sub, viaPassport);
    const forged = `${token.slice(0, token.lastIndexOf('.'))}.${'A'.repeat(342)}`;
    const refusedViaPassport = await call(url, '/passport', forged);
    check(
      'AuthGuard(hanko) 401 with challenge',
      refusedViaPassport.status === 401 && /error_description="invalid signature"/.test(refusedViaPassport.wwwAuthenticate ?? ''),
      refusedViaPassport,
    );

    const openWithToken = await call(url, '/', token);
    check('public sees user', openWithToken.status === 200 && openWithToken.body?.user === sub, openWithToken);
  } finally {
    await Promise.race([Promise.all([app.close(), issuer.close()]), new Promise((resolve) => setTimeout(resolve, 5_000))]);
  }

  const ok = failures.length === 0;
  console.log(JSON.stringify({ consumer: CONSUMER, ok, nest, moduleSystem, node: process.version, checks, failures }));
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    console.log(JSON.stringify({ consumer: CONSUMER, ok: false, error: String(error) }));
    process.exit(1);
  },
);
