// playwright-core's types name DOM types (HTMLElement, …), and page.evaluate callbacks run in the page.
/// <reference lib="dom" />
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { HankoTestIssuer } from '../../src/testing/index.js';
import { createSampleApp, type SampleApp } from '../../sample/sample.app.js';
import { claimsOf } from '../support/token.forge.js';

// Debian's chromium, driven by playwright-core. Without the background-networking flags an offline
// machine floods refused connections; --no-sandbox because CI runs as root.
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

let profileDir: string;
let browser: BrowserContext;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} not found: the sample page test needs Debian's chromium (apt-get install -y chromium, as test/setup/system-deps.sh does)`,
    );
  }
  profileDir = mkdtempSync(join(tmpdir(), 'sample-page-chromium-'));
  browser = await chromium.launchPersistentContext(profileDir, { executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
});
afterAll(async () => {
  await browser?.close();
  if (profileDir) rmSync(profileDir, { recursive: true, force: true });
});

/**
 * Boots the sample on 127.0.0.1 (ephemeral port): with HANKO_API_URL as given (`npm run start:hanko`),
 * or without it and with the dev issuer opted in (`npm start`). No .env is read.
 */
async function startSample(hankoApiUrl: string | undefined): Promise<{ sample: SampleApp; url: string }> {
  const saved = { url: process.env.HANKO_API_URL, audience: process.env.HANKO_AUDIENCE };
  setEnv('HANKO_API_URL', hankoApiUrl);
  setEnv('HANKO_AUDIENCE', hankoApiUrl ? 'localhost' : undefined);
  try {
    const sample = await createSampleApp(
      { logger: false, abortOnError: false },
      { devIssuer: hankoApiUrl === undefined, envFilePath: '/nonexistent/.env' },
    );
    await sample.app.listen(0, '127.0.0.1');
    return { sample, url: (await sample.app.getUrl()).replace('[::1]', '127.0.0.1') };
  } finally {
    setEnv('HANKO_API_URL', saved.url);
    setEnv('HANKO_AUDIENCE', saved.audience);
  }
}

function setEnv(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

/** A fresh tab that records page errors and every URL it requests. */
async function openPage(url: string): Promise<{ page: Page; errors: string[]; requested: string[] }> {
  await browser.clearCookies();
  const page = await browser.newPage();
  page.setDefaultTimeout(10_000);
  const errors: string[] = [];
  const requested: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('request', (request) => requested.push(request.url()));
  await page.goto(`${url}/app`);
  return { page, errors, requested };
}

const meStatus = (page: Page, text: string) => page.locator('#me-status', { hasText: text }).waitFor();

describe('the sample page with the embedded test issuer', () => {
  let sample: SampleApp;
  let url: string;

  beforeAll(async () => {
    ({ sample, url } = await startSample(undefined));
  });
  afterAll(() => sample?.close());

  it('signs in (dev), shows the user from /me, signs out and then gets 401', async () => {
    const { page, errors, requested } = await openPage(url);
    await meStatus(page, '401 Unauthorized');

    const [minted] = await Promise.all([
      page.waitForResponse((response) => response.url() === `${url}/dev/session`),
      page.getByRole('button', { name: 'Sign in (dev)' }).click(),
    ]);
    const { token } = (await minted.json()) as { token: string };
    const claims = claimsOf(token);
    await meStatus(page, '200 OK');
    expect(await page.locator('#user-id').textContent()).toBe(claims.sub);
    expect(await page.locator('#user-email').textContent()).toBe('user@example.com (verified)');
    expect(await page.locator('#user-amr').textContent()).toBe('passkey');
    expect(await browser.cookies(url)).toEqual([expect.objectContaining({ name: 'hanko', value: token, path: '/', sameSite: 'Lax' })]);
    // To look at it: SAMPLE_PAGE_SCREENSHOT=/tmp/page.png npm test -- test/browser
    if (process.env.SAMPLE_PAGE_SCREENSHOT) await page.screenshot({ path: process.env.SAMPLE_PAGE_SCREENSHOT, fullPage: true });

    await page.getByRole('button', { name: 'Sign out' }).click();
    await meStatus(page, '401 Unauthorized');
    expect(await browser.cookies(url)).toEqual([]);
    expect(await page.getByRole('button', { name: 'Sign in (dev)' }).isVisible()).toBe(true);
    expect(await page.locator('#user-id').isVisible()).toBe(false);

    expect(errors).toEqual([]);
    expect(requested.filter((u) => !u.startsWith(`${url}/`))).toEqual([]);
    await page.close();
  });
});

describe('the sample page with HANKO_API_URL set', () => {
  let hanko: HankoTestIssuer; // plays Hanko's key endpoint; its API is otherwise absent (404)
  let sample: SampleApp;
  let url: string;

  beforeAll(async () => {
    hanko = await HankoTestIssuer.start({ audience: ['localhost'], modulusLength: 2048 });
    ({ sample, url } = await startSample(hanko.apiUrl));
  });
  afterAll(async () => {
    await sample?.close();
    await hanko?.close();
  });

  it('has no dev sign-in endpoint', async () => {
    const response = await fetch(`${url}/dev/session`, { method: 'POST' });
    expect(response.status).toBe(404);
  });

  it('shows <hanko-auth> from the app’s own copy of hanko-elements and shows the user once a session is created', async () => {
    const { page, errors, requested } = await openPage(url);
    await meStatus(page, '401 Unauthorized');
    expect(await page.evaluate(() => customElements.get('hanko-auth') !== undefined)).toBe(true);
    expect(await page.getByRole('button', { name: 'Sign in (dev)' }).count()).toBe(0);
    expect(requested).toContain(`${url}/vendor/hanko-elements.js`);
    // The browser asks only the app and the configured Hanko; no CDN.
    expect(requested.filter((u) => !u.startsWith(`${url}/`) && !u.startsWith(`${hanko.apiUrl}/`))).toEqual([]);

    // What Hanko's frontend SDK does after a login: the hanko cookie, then the element's event.
    const token = hanko.sign({ amr: ['pwd', 'totp'] });
    await browser.addCookies([{ name: 'hanko', value: token, url, sameSite: 'Lax' }]);
    await page.locator('hanko-auth').dispatchEvent('onSessionCreated');
    await meStatus(page, '200 OK');
    expect(await page.locator('#user-amr').textContent()).toBe('pwd, totp');
    expect(errors).toEqual([]);
    await page.close();
  });
});
