// Soak (issue 13 §5): sustained load on an Express app with HankoAuthModule, valid and hostile
// tokens mixed, a key rotation every minute, Hanko's endpoints flapping (down, slow, 500), revocation
// on with answers shared through Redis, and a Redis restart half-way. Exits 1 on any wrong answer.
//
//   npm run soak      SOAK_SECONDS=600 (default)
//   npm run soak:ci   SOAK_SECONDS=60
//
// A wrong answer is a valid token refused outside a documented outage window (any 401, or a 503
// with no Hanko outage or key rotation in progress), anything hostile accepted, or any answer
// other than 200/401/503. Everything stays on 127.0.0.1; the app is pinned to core 1 when taskset works.
import { spawn, spawnSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import http from 'node:http';
import { createConnection } from 'node:net';
import { HankoTestIssuer } from '../../dist/testing/index.js';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 600);
const CONCURRENCY = Number(process.env.SOAK_CONCURRENCY ?? 16);
if (!(SECONDS >= 20) || !(CONCURRENCY >= 1)) throw new Error('SOAK_SECONDS must be >= 20 and SOAK_CONCURRENCY >= 1');
/** A rotation every minute (at least three in a short run). */
const ROTATE_EVERY = Math.min(60, SECONDS / 3);
/** An outage of Hanko every FLAP_EVERY seconds, FLAP_LENGTH long, cycling through the modes. */
const FLAP_EVERY = Math.min(45, SECONDS / 4);
const FLAP_LENGTH = Math.min(8, FLAP_EVERY / 3);
const FLAP_MODES = ['down', 'slow', '500'];
const SLOW_MS = 2000;
const SESSIONS_PER_KEY = 200;
const APP_OPTIONS = {
  keys: { refetchCooldown: 10, fetchTimeout: 5 },
  // The shared answers are HMAC-signed with a secret every instance shares (at least 32 bytes).
  revocation: { sharedCache: true, sharedSecret: 'soak-only-shared-secret-0123456789abcdef', cacheTtl: 30, timeout: 5 },
};
/**
 * How long after an outage (or a rotation) a 503 for a valid token is still documented behaviour:
 * the key source retries unknown kids once per refetchCooldown, a call may take fetchTimeout, and
 * a slow Hanko adds SLOW_MS. Redis restarts get no such window: a store outage must fall back to
 * asking Hanko, never refuse.
 */
const GRACE_MS = (APP_OPTIONS.keys.refetchCooldown + APP_OPTIONS.keys.fetchTimeout + 3) * 1000 + SLOW_MS;

const started = Date.now();
const at = () => ((Date.now() - started) / 1000).toFixed(1).padStart(6);
const log = (line) => process.stdout.write(`[soak ${at()} s] ${line}\n`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------- Hanko, flapping on demand

class SoakIssuer extends HankoTestIssuer {
  mode = 'ok';
  calls = { jwks: 0, validate: 0 };
  handle(req, res) {
    const path = (req.url ?? '').split('?')[0];
    if (path.endsWith('/.well-known/jwks.json')) this.calls.jwks++;
    else if (path.endsWith('/sessions/validate')) this.calls.validate++;
    if (this.mode === '500') return void res.writeHead(500, { 'content-type': 'application/json' }).end('{"code":500}');
    if (this.mode === 'slow') {
      const timer = setTimeout(() => super.handle(req, res), SLOW_MS);
      res.on('close', () => clearTimeout(timer));
      return;
    }
    super.handle(req, res);
  }
}

// ---------------------------------------------------------------- Redis

function startRedis(port) {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  return child;
}
async function waitForPort(port) {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise((resolve) => {
      const socket = createConnection({ port, host: '127.0.0.1' }, () => (socket.end(), resolve(true)));
      socket.on('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(100);
  }
  throw new Error(`nothing listens on 127.0.0.1:${port}`);
}
function stopChild(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

// ---------------------------------------------------------------- tokens

const attacker = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
const enc = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const claimsOf = (token) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());

/** Hostile tokens of every kind, from the current key and sessions. Each must never be answered 200. */
function hostileTokens(issuer, kid, valid) {
  const [h, p, s] = valid.split('.');
  const flipped = Buffer.from(s, 'base64url');
  flipped[7] ^= 0x10;
  const claims = claimsOf(valid);
  const now = Math.floor(Date.now() / 1000);
  const foreign = (header, payload) => {
    const input = `${enc(header)}.${enc(payload)}`;
    return `${input}.${sign('sha256', Buffer.from(input), attacker).toString('base64url')}`;
  };
  const revoked = issuer.sign({}, { kid });
  issuer.revokeSession(claimsOf(revoked).session_id);
  return {
    'signature bit flipped': `${h}.${p}.${flipped.toString('base64url')}`,
    'claims altered': `${h}.${enc({ ...claims, sub: '00000000-0000-4000-8000-000000000000' })}.${s}`,
    'alg none': `${enc({ alg: 'none', kid, typ: 'JWT' })}.${p}.`,
    'foreign key, real kid': foreign({ alg: 'RS256', kid, typ: 'JWT' }, claims),
    'random kid': foreign({ alg: 'RS256', kid: randomBytes(12).toString('hex'), typ: 'JWT' }, claims),
    expired: issuer.sign({ iat: now - 7200, exp: now - 3600 }, { kid }),
    'webhook token': issuer.signWebhook({ kid }),
    'revoked session': revoked,
    'wrong audience': issuer.sign({ aud: ['evil.example'] }, { kid }),
    garbage: `${randomBytes(30).toString('base64url')}.${randomBytes(60).toString('base64url')}.${randomBytes(40).toString('base64url')}`,
  };
}

// ---------------------------------------------------------------- the run

const counts = {
  requests: 0,
  byKind: {},
  byStatus: {},
  valid503: { duringOutage: 0, afterOutage: 0, afterRotation: 0 },
  wrong: 0,
  wrongByReason: {},
};
const wrongAnswers = [];
/** Periods in which a 503 for a valid token is documented: [from, to] in ms, with a label. */
const excuses = [];
const samples = [];

/** Which documented window a 503 for a valid token falls in, or undefined. */
function excuse(from, to) {
  const windows = excuses.filter((w) => w.from <= to && w.to >= from);
  if (windows.length === 0) return undefined;
  if (windows.some((w) => w.label !== 'rotation' && w.activeTo >= from)) return 'duringOutage';
  return windows.some((w) => w.label !== 'rotation') ? 'afterOutage' : 'afterRotation';
}

function record(kind, hostile, status, from, to, challenge) {
  counts.requests++;
  counts.byKind[kind] ??= {};
  counts.byKind[kind][status] = (counts.byKind[kind][status] ?? 0) + 1;
  counts.byStatus[status] = (counts.byStatus[status] ?? 0) + 1;
  let wrong;
  if (hostile) wrong = status === 200 ? 'hostile token accepted' : status === 401 || status === 503 ? undefined : `answered ${status}`;
  else if (status === 200) wrong = undefined;
  else if (status === 503 && excuse(from, to) !== undefined) counts.valid503[excuse(from, to)]++;
  else wrong = status === 503 ? 'valid token refused (503) outside any outage or rotation' : `valid token answered ${status}`;
  if (wrong === undefined) return;
  counts.wrong++;
  const reason = /error_description="([^"]*)"/.exec(challenge ?? '')?.[1];
  const key = `${wrong}${reason ? ` (${reason})` : ''}`;
  counts.wrongByReason[key] = (counts.wrongByReason[key] ?? 0) + 1;
  if (wrongAnswers.length < 20) wrongAnswers.push({ at: ((from - started) / 1000).toFixed(1), kind, status, wrong, reason });
}

function request(agent, port, path, headers) {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode, body, challenge: res.headers['www-authenticate'] }));
      res.on('error', () => resolve({ status: 'connection error', body }));
    });
    req.setTimeout(30_000, () => req.destroy());
    req.on('error', () => resolve({ status: 'connection error', body: '' }));
  });
}

function linearSlopePerMinute(points) {
  if (points.length < 3) return NaN;
  const n = points.length;
  const mx = points.reduce((a, p) => a + p.x, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  const num = points.reduce((a, p) => a + (p.x - mx) * (p.y - my), 0);
  const den = points.reduce((a, p) => a + (p.x - mx) ** 2, 0);
  return den === 0 ? NaN : num / den;
}

async function main() {
  if (spawnSync('redis-server', ['--version']).status !== 0)
    throw new Error('redis-server is not installed (apt-get install -y redis-server)');
  const pin = spawnSync('taskset', ['-c', '1', 'true']).status === 0;
  if (pin) spawnSync('taskset', ['-pc', '0', String(process.pid)], { stdio: 'ignore' });

  const issuer = await SoakIssuer.start({ modulusLength: 2048 });
  const redisPort = 20000 + Math.floor(Math.random() * 10000);
  let redis = startRedis(redisPort);
  await waitForPort(redisPort);

  const appArgs = ['--expose-gc', 'bench/soak/app.mjs', issuer.apiUrl, `redis://127.0.0.1:${redisPort}`, JSON.stringify(APP_OPTIONS)];
  const app = pin
    ? spawn('taskset', ['-c', '1', process.execPath, ...appArgs], { stdio: ['pipe', 'pipe', 'pipe'] })
    : spawn(process.execPath, appArgs, { stdio: ['pipe', 'pipe', 'pipe'] });
  const appLog = [];
  let closedReport;
  let appExit;
  const exited = new Promise((resolve) => app.on('exit', (code, signal) => resolve((appExit = { code, signal, at: Date.now() }))));
  const ready = new Promise((resolve, reject) => {
    let buffer = '';
    app.stdout.on('data', (chunk) => {
      buffer += chunk.toString();
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line.startsWith('READY ')) resolve(JSON.parse(line.slice(6)));
        else if (line.startsWith('CLOSED ')) closedReport = JSON.parse(line.slice(7));
        else if (line.trim() !== '') appLog.push(line);
      }
    });
    app.stderr.on('data', (chunk) => appLog.push(...chunk.toString().split('\n').filter(Boolean)));
    app.on('exit', () => reject(new Error(`app exited before READY:\n${appLog.join('\n')}`)));
  });
  const { port } = await ready;
  log(
    `app on 127.0.0.1:${port}${pin ? ' (pinned to core 1; load and Hanko on core 0)' : ' (not pinned)'}; Redis on ${redisPort}; ${SECONDS} s, ${CONCURRENCY} connections`,
  );

  // Tokens per published key, newest last; hostile ones from the newest key.
  const generations = [];
  const mint = (kid) => {
    const sessions = Array.from({ length: SESSIONS_PER_KEY }, () => issuer.sign({}, { kid }));
    generations.push({ kid, sessions });
    return { hostile: hostileTokens(issuer, kid, sessions[0]) };
  };
  let hostile = mint(issuer.keys[0].kid).hostile;
  const hostileKinds = () => Object.keys(hostile);

  let stopped = false;
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const deadline = started + SECONDS * 1000;

  const worker = async (n) => {
    let i = n;
    while (!stopped && Date.now() < deadline) {
      i++;
      let kind;
      let token;
      let hostileRequest = false;
      if (i % 5 < 3) {
        // valid: mostly the newest key's sessions, some from the previous one (still published)
        const pool = generations[generations.length - 1 - (i % 7 === 0 && generations.length > 1 ? 1 : 0)].sessions;
        token = pool[(i * 7919) % pool.length];
        kind = 'valid';
      } else {
        const kinds = hostileKinds();
        kind = kinds[Math.floor(Math.random() * kinds.length)];
        token = hostile[kind];
        hostileRequest = true;
      }
      const viaCookie = i % 4 === 0;
      const headers = viaCookie ? { cookie: `theme=dark; hanko=${token}` } : { authorization: `Bearer ${token}` };
      const from = Date.now();
      const reply = await request(agent, port, '/me', headers);
      record(kind, hostileRequest, reply.status, from, Date.now(), reply.challenge);
    }
  };

  const schedule = async () => {
    let nextRotation = started + ROTATE_EVERY * 1000;
    let nextFlap = started + (FLAP_EVERY * 1000) / 2;
    let flaps = 0;
    let redisRestarted = false;
    while (!stopped && Date.now() < deadline) {
      const now = Date.now();
      if (now >= nextRotation) {
        nextRotation += ROTATE_EVERY * 1000;
        const key = await issuer.addKey({ modulusLength: 2048 });
        excuses.push({ label: 'rotation', from: Date.now(), activeTo: Date.now(), to: Date.now() + GRACE_MS });
        hostile = mint(key.kid).hostile;
        // Keep two keys published: the oldest one's sessions stop being sent before its key goes.
        while (generations.length > 2) {
          const old = generations.shift();
          issuer.removeKey(old.kid);
        }
        log(`rotated: new key ${key.kid.slice(0, 8)}…, ${issuer.jwks().keys.length} published`);
      }
      if (now >= nextFlap) {
        nextFlap += FLAP_EVERY * 1000;
        const mode = FLAP_MODES[flaps++ % FLAP_MODES.length];
        const outage = { label: `outage ${mode}`, from: Date.now(), activeTo: Infinity, to: Infinity };
        excuses.push(outage);
        log(`Hanko ${mode} for ${FLAP_LENGTH} s`);
        if (mode === 'down') await issuer.close();
        else issuer.mode = mode;
        await sleep(FLAP_LENGTH * 1000);
        if (mode === 'down') await issuer.listen();
        issuer.mode = 'ok';
        outage.activeTo = Date.now();
        outage.to = outage.activeTo + GRACE_MS;
        log('Hanko back');
      }
      if (!redisRestarted && now >= started + SECONDS * 500) {
        redisRestarted = true;
        log('Redis restart: stopping');
        await stopChild(redis);
        await sleep(3000);
        redis = startRedis(redisPort);
        await waitForPort(redisPort);
        log('Redis restart: back');
      }
      await sleep(200);
    }
  };

  const sampler = async () => {
    while (!stopped && Date.now() < deadline) {
      const reply = await request(false, port, '/metrics', {});
      if (reply.status === 200) samples.push({ t: (Date.now() - started) / 60_000, ...JSON.parse(reply.body) });
      await sleep(5000);
    }
  };

  const progress = setInterval(
    () => log(`${counts.requests} requests, ${counts.wrong} wrong, Hanko calls ${JSON.stringify(issuer.calls)}`),
    30_000,
  );
  await Promise.all([schedule(), sampler(), ...Array.from({ length: CONCURRENCY }, (_, n) => worker(n))]);
  stopped = true;
  clearInterval(progress);
  if (issuer.mode !== 'ok') issuer.mode = 'ok';

  // ------------------------------------------------------------ the end: sockets, close, exit
  agent.destroy();
  await sleep(1000);
  const last = await request(false, port, '/metrics', {});
  const openAtEnd = last.status === 200 ? JSON.parse(last.body).resources : undefined;
  app.kill('SIGTERM');
  const exitDeadline = sleep(20_000).then(() => undefined);
  const exit = await Promise.race([exited, exitDeadline]);
  if (exit === undefined) app.kill('SIGKILL');
  await stopChild(redis);
  await issuer.close();

  // ------------------------------------------------------------ report
  const steady = samples.filter((s) => s.t >= (SECONDS / 60) * 0.25);
  const mb = (bytes) => bytes / 1024 / 1024;
  const heapSlope = linearSlopePerMinute(steady.map((s) => ({ x: s.t, y: mb(s.heapUsed) })));
  const rssSlope = linearSlopePerMinute(steady.map((s) => ({ x: s.t, y: mb(s.rss) })));
  const first = samples[0];
  const lastSample = samples[samples.length - 1];
  const summary = {
    seconds: SECONDS,
    requests: counts.requests,
    requestsPerSecond: Math.round(counts.requests / SECONDS),
    wrongAnswers: counts.wrong,
    wrongByReason: counts.wrongByReason,
    rotationsAt: excuses.filter((w) => w.label === 'rotation').map((w) => +((w.from - started) / 1000).toFixed(1)),
    valid503InsideDocumentedWindows: counts.valid503,
    graceAfterOutageOrRotationSeconds: GRACE_MS / 1000,
    byStatus: counts.byStatus,
    byKind: counts.byKind,
    hankoCalls: issuer.calls,
    rotations: excuses.filter((w) => w.label === 'rotation').length,
    outages: excuses.filter((w) => w.label.startsWith('outage')).map((w) => w.label),
    memory: {
      samples: samples.length,
      heapMB: { first: first && +mb(first.heapUsed).toFixed(1), last: lastSample && +mb(lastSample.heapUsed).toFixed(1) },
      rssMB: { first: first && +mb(first.rss).toFixed(1), last: lastSample && +mb(lastSample.rss).toFixed(1) },
      heapSlopeMBPerMinute: +heapSlope.toFixed(3),
      rssSlopeMBPerMinute: +rssSlope.toFixed(3),
      slopeOver: 'samples after the first quarter of the run, each after a full GC, least squares',
    },
    openHandlesAtEndUnderNoLoad: openAtEnd,
    afterAppClose: closedReport?.resources,
    appExitedByItself: exit !== undefined && appExit?.signal === null && appExit?.code === 0,
    appWarnings: appLog.filter((l) => /WARN|ERROR/.test(l)).length,
    firstWrongAnswers: wrongAnswers,
  };
  process.stdout.write(`\nSOAK SUMMARY ${JSON.stringify(summary, null, 2)}\n`);
  const appNotes = appLog.filter((l) => /WARN|ERROR/.test(l)).slice(0, 20);
  if (appNotes.length) process.stdout.write(`app warnings/errors (first 20):\n${appNotes.join('\n')}\n`);
  const failed = counts.wrong > 0 || counts.requests === 0 || !summary.appExitedByItself;
  process.stdout.write(failed ? 'SOAK FAILED\n' : 'SOAK PASSED\n');
  process.exit(failed ? 1 : 0);
}

main().catch((error) => {
  process.stderr.write(`soak crashed: ${error?.stack ?? error}\n`);
  process.exit(2);
});
