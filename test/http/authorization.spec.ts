import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get } from '@nestjs/common';
import { CurrentUser, HankoAuthModule, Public, RequireAmr, RequireClaims, RequireVerifiedEmail, type HankoUser } from '../../src/index.js';
import { HankoTestIssuer } from '../../src/testing/index.js';
import { ADAPTERS, call, startApp, type StartedApp } from '../support/app.factory.js';

type AppClaims = { role?: string; tenant?: string };

@Controller('admin')
@RequireClaims<AppClaims>((claims) => claims.role === 'admin', 'requires role admin')
class AdminController {
  @Get()
  dashboard(@CurrentUser() user: HankoUser<AppClaims>) {
    // Typed custom claims: no cast needed.
    return { role: user.claims.role };
  }

  @Get('acme')
  @RequireClaims<AppClaims>((claims) => claims.tenant === 'acme', 'requires tenant acme')
  acme() {
    return { ok: true };
  }
}

@Controller('secure')
class SecureController {
  @Get('passkey')
  @RequireAmr('passkey')
  passkey() {
    return { ok: true };
  }

  @Get('strong')
  @RequireAmr('passkey', 'totp', 'security_key')
  strong() {
    return { ok: true };
  }

  @Get('verified')
  @RequireVerifiedEmail()
  verified() {
    return { ok: true };
  }

  @Get('fragile')
  @RequireClaims<{ perms?: string[] }>((claims) => claims.perms!.includes('write'), 'requires perm write')
  fragile() {
    return { ok: true };
  }

  @Public()
  @Get('public-but-verified')
  @RequireVerifiedEmail()
  publicButVerified() {
    return { ok: true };
  }
}

let issuer: HankoTestIssuer;
beforeAll(async () => {
  issuer = await HankoTestIssuer.start({ modulusLength: 2048 });
});
afterAll(() => issuer.close());

describe.each(ADAPTERS)('authorization from Hanko claims over %s', (adapter) => {
  let app: StartedApp;
  beforeAll(async () => {
    app = await startApp(
      adapter,
      [HankoAuthModule.forRoot({ apiUrl: issuer.apiUrl, audience: 'localhost' })],
      [AdminController, SecureController],
    );
  });
  afterAll(() => app.app.close());

  const forbidden = async (path: string, claims: Record<string, unknown>, description: string) => {
    const res = await call(app.url, path, { token: issuer.sign(claims) });
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toBe(
      `Bearer realm="hanko", error="insufficient_scope", error_description="${description}"`,
    );
    expect(res.body).toEqual({ statusCode: 403, message: description, error: 'Forbidden' });
  };

  it('requires a passkey login (amr)', async () => {
    expect((await call(app.url, '/secure/passkey', { token: issuer.sign({ amr: ['passkey'] }) })).status).toBe(200);
    await forbidden('/secure/passkey', { amr: ['pwd'] }, 'requires login with passkey');
    await forbidden('/secure/passkey', { amr: undefined }, 'requires login with passkey');
  });

  it('accepts a passkey or a second factor', async () => {
    expect((await call(app.url, '/secure/strong', { token: issuer.sign({ amr: ['pwd', 'totp'] }) })).status).toBe(200);
    expect((await call(app.url, '/secure/strong', { token: issuer.sign({ amr: 'security_key' }) })).status).toBe(200);
    await forbidden('/secure/strong', { amr: ['pwd'] }, 'requires login with passkey or totp or security_key');
  });

  it('requires a verified email', async () => {
    expect((await call(app.url, '/secure/verified', { token: issuer.sign() })).status).toBe(200);
    await forbidden('/secure/verified', { email: { address: 'a@b.c', is_primary: true, is_verified: false } }, 'requires a verified email');
    await forbidden('/secure/verified', { email: undefined }, 'requires a verified email');
  });

  it('checks custom claims on the class and the handler, all must hold', async () => {
    const admin = await call(app.url, '/admin', { token: issuer.sign({ role: 'admin' }) });
    expect(admin.body).toEqual({ role: 'admin' });
    await forbidden('/admin', { role: 'user' }, 'requires role admin');
    expect((await call(app.url, '/admin/acme', { token: issuer.sign({ role: 'admin', tenant: 'acme' }) })).status).toBe(200);
    await forbidden('/admin/acme', { role: 'admin', tenant: 'other' }, 'requires tenant acme');
    await forbidden('/admin/acme', { role: 'user', tenant: 'acme' }, 'requires role admin');
  });

  it('treats a rule that throws (a claim the token lacks) as unmet: 403, not 500', async () => {
    await forbidden('/secure/fragile', {}, 'requires perm write');
    expect((await call(app.url, '/secure/fragile', { token: issuer.sign({ perms: ['write'] }) })).status).toBe(200);
  });

  it('answers 401 (not 403) when there is no valid session, also on a public route with requirements', async () => {
    expect((await call(app.url, '/secure/passkey')).status).toBe(401);
    expect((await call(app.url, '/secure/public-but-verified')).status).toBe(401);
    expect((await call(app.url, '/secure/public-but-verified', { token: issuer.sign() })).status).toBe(200);
  });
});

describe('requirement descriptions', () => {
  it('refuses a description that could break the WWW-Authenticate header', async () => {
    const { RequireHanko } = await import('../../src/index.js');
    expect(() => RequireHanko('bad "quote"', () => true)).toThrow(/printable ASCII/);
  });
});
