import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { HankoTestIssuer } from '../../src/testing/index.js';
import { ADAPTERS } from '../support/app.factory.js';
import { claimsOf } from '../support/token.forge.js';

/**
 * After `app.close()` nothing of ours keeps the process alive: no timer, no socket to Hanko, no
 * pending request. A child process boots the module (keys fetched, revocation on), serves a
 * request, closes the app while another request still waits on Hanko, and must then exit by itself.
 */
const ROOT = process.cwd();
/** Under node_modules so the build resolves @nestjs/* and friends from the project. */
const CACHE = join(ROOT, 'node_modules', '.cache');
/** Generous: the child boots Nest and fetches keys on a loaded 2-core machine; exiting takes milliseconds. */
const EXIT_DEADLINE_MS = 60_000;

/** A Hanko whose session check never answers for chosen sessions. */
class HangingIssuer extends HankoTestIssuer {
  readonly hangingSessions = new Set<string>();
  protected override serveSessionValidation(req: IncomingMessage, res: ServerResponse): void {
    const token = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (token !== undefined && this.hangingSessions.has(claimsOf(token).session_id as string)) return;
    super.serveSessionValidation(req, res);
  }
}

let issuer: HangingIssuer;
let libDir: string;
beforeAll(async () => {
  issuer = await HangingIssuer.start({ modulusLength: 2048 });
  // A fresh `npm ci` has no node_modules/.cache yet: whichever suite runs first must not decide.
  mkdirSync(CACHE, { recursive: true });
  libDir = mkdtempSync(join(CACHE, 'hanko-clean-exit-'));
  await promisify(execFile)(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'src', '--outDir', libDir], {
    cwd: ROOT,
  });
}, 180_000);
afterAll(async () => {
  await issuer?.close();
  if (libDir) rmSync(libDir, { recursive: true, force: true });
});

/** What the child reports, one JSON line per step. */
interface ChildEvents {
  keys?: { kids: number };
  live?: { status: number | string };
  hanging?: { status: number | string };
  closed?: { resources: string[] };
  settled?: { resources: string[] };
}

interface ChildReport {
  events: ChildEvents;
  exitCode: number | null;
  exitedByItself: boolean;
  stderr: string;
}

function runChild(adapter: string, liveToken: string, hangingToken: string): Promise<ChildReport> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [join(ROOT, 'test/shutdown/clean-exit.child.mjs'), libDir, adapter, issuer.apiUrl, liveToken, hangingToken],
      {
        cwd: ROOT,
        env: { ...process.env, NODE_OPTIONS: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let exitedByItself = true;
    const deadline = setTimeout(() => {
      exitedByItself = false;
      child.kill('SIGKILL');
    }, EXIT_DEADLINE_MS);
    child.on('exit', (exitCode) => {
      clearTimeout(deadline);
      const events: Record<string, unknown> = {};
      for (const line of stdout.split('\n').filter(Boolean)) {
        const parsed = JSON.parse(line) as { event: string };
        events[parsed.event] = parsed;
      }
      resolve({ events, exitCode, exitedByItself, stderr });
    });
  });
}

describe.each(ADAPTERS)('a clean shutdown (%s)', (adapter) => {
  it(
    'leaves no timer or socket of ours after app.close(): the process exits by itself',
    async () => {
      const hangingToken = issuer.sign();
      issuer.hangingSessions.add(claimsOf(hangingToken).session_id as string);
      const report = await runChild(adapter, issuer.sign(), hangingToken);
      expect(report.stderr).toBe('');
      expect(report.events.keys?.kids).toBe(1);
      expect(report.events.live?.status).toBe(200);
      // The request waiting on Hanko was answered (aborted: 503), not left hanging by close().
      expect(report.events.hanging?.status).toBe(503);
      const resources = report.events.settled?.resources ?? ['no report'];
      process.stderr.write(
        `[shutdown] ${adapter}: active resources right after app.close(): ${JSON.stringify(report.events.closed?.resources)},` +
          ` 250 ms later: ${JSON.stringify(resources)}; exited by itself: ${report.exitedByItself}\n`,
      );
      expect(resources.filter((name) => /TCP|Timeout|Immediate|GetAddrInfo|FSReq/.test(name))).toEqual([]);
      expect(report.exitedByItself).toBe(true);
      expect(report.exitCode).toBe(0);
    },
    EXIT_DEADLINE_MS + 60_000,
  );
});
