// End-to-end benchmark of HankoGuard against no guard and the usual alternatives (issue 4).
//
//   npm run build && node bench/run.mjs            full run (~5 min on 2 cores)
//   BENCH_SMOKE=1 node bench/run.mjs  (or --smoke) seconds per variant, 1 round: CI keeps it working
//
// One key server process (HankoTestIssuer, RSA-4096), one Nest 12 + Express app process per
// variant (pinned to core 0), one autocannon process per measurement (pinned to core 1), fixed
// ports outside the ephemeral range. Rounds interleave the variants; medians and same-round ratios
// are reported. Exits non-zero only when something is broken (a failed start, a wrong status, a
// key-fetch count of this library that is not what it must be); there are no timing assertions.
import { request } from 'node:http';
import { cpus, availableParallelism } from 'node:os';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  HOST,
  PORT_BASE,
  SMOKE,
  assertPortFree,
  canPin,
  clockTicks,
  machineBusyTicks,
  median,
  processTicks,
  sleep,
  spawnNode,
  waitForLine,
} from './common.mjs';

const here = (file) => fileURLToPath(new URL(file, import.meta.url));
const APP = here('./app.mjs');
const LOAD = here('./load.mjs');
const KEY_SERVER = here('./key-server.mjs');

const num = (name, fallback) => (process.env[name] === undefined ? fallback : Number(process.env[name]));
const CONFIG = SMOKE
  ? { rounds: 1, seconds: 1.5, warmup: 0.5, poolSize: 300, distinctCacheEntries: 100, periodLoad: 3, periodMaxAge: 1 }
  : {
      rounds: num('BENCH_ROUNDS', 5),
      seconds: num('BENCH_SECONDS', 5),
      warmup: num('BENCH_WARMUP', 3),
      // More tokens than the verified-token cache holds (default 10 000 entries, LRU), plus slack
      // for the reordering of 10 connections: the rotation never finds its next token cached.
      poolSize: 10_240,
      distinctCacheEntries: undefined,
      periodLoad: 8,
      periodMaxAge: 2,
    };
CONFIG.connections = 10;
for (const [key, value] of Object.entries(CONFIG)) {
  if (value !== undefined && !(Number.isFinite(value) && value > 0 && value <= 100_000)) throw new Error(`bad setting ${key}=${value}`);
}
if (CONFIG.rounds > 50 || CONFIG.seconds > 60 || CONFIG.warmup > 60) throw new Error('rounds ≤ 50, seconds ≤ 60, warm-up ≤ 60');

/** The compared variants; `tokens` says what autocannon sends. */
const ALL_VARIANTS = [
  { id: 'none', label: 'no guard', kind: 'none', tokens: 'none' },
  { id: 'hanko-repeat', label: 'HankoGuard, repeated token', kind: 'hanko', tokens: 'repeat' },
  {
    id: 'hanko-distinct',
    label: 'HankoGuard, distinct tokens',
    kind: 'hanko',
    tokens: 'distinct',
    // Smoke mode mints only a few hundred tokens; a small cache still makes every request a miss.
    options: CONFIG.distinctCacheEntries ? { tokenCache: { maxEntries: CONFIG.distinctCacheEntries } } : undefined,
  },
  { id: 'passport', label: "AuthGuard('jwt') + passportJwtSecret", kind: 'passport', tokens: 'repeat' },
  { id: 'jose', label: 'jose createRemoteJWKSet + jwtVerify', kind: 'jose', tokens: 'repeat' },
  // Diagnostic only (BENCH_VARIANTS=…,noop-guard): what any async guard costs in Nest, the floor.
  { id: 'noop-guard', label: 'diagnostic: async guard returning true', kind: 'noop', tokens: 'repeat', extra: true },
  { id: 'noop-sync-guard', label: 'diagnostic: sync guard returning true', kind: 'noop-sync', tokens: 'repeat', extra: true },
  {
    id: 'hanko-nocache',
    label: 'diagnostic: HankoGuard, tokenCache false',
    kind: 'hanko',
    tokens: 'repeat',
    options: { tokenCache: false },
    extra: true,
  },
  {
    id: 'hanko-distinct-nocache',
    label: 'diagnostic: HankoGuard, tokenCache false, distinct tokens',
    kind: 'hanko',
    tokens: 'distinct',
    options: { tokenCache: false },
    extra: true,
  },
  // Diagnostic: the least any verifier on the event loop must do for a new token (see app.mjs), the ceiling for distinct tokens.
  { id: 'floor-distinct', label: 'diagnostic: minimal sync verifier, distinct tokens', kind: 'floor', tokens: 'distinct', extra: true },
];
// BENCH_AB_DIST=/path/to/other/dist: the two HankoGuard variants again, served by that build of the
// library, interleaved in the same rounds (to measure a change to src/ against the current one).
if (process.env.BENCH_AB_DIST) {
  const lib = resolvePath(process.env.BENCH_AB_DIST, 'index.js');
  for (const base of ALL_VARIANTS.filter((v) => v.kind === 'hanko' && !v.extra)) {
    ALL_VARIANTS.push({ ...base, id: `${base.id}-b`, label: `${base.label} [B]`, lib });
  }
}
/** BENCH_VARIANTS=id,id,… runs a subset (no guard is always included: ratios are relative to it). */
const selected = process.env.BENCH_VARIANTS?.split(',')
  .map((x) => x.trim())
  .filter(Boolean);
if (selected?.some((id) => !ALL_VARIANTS.some((v) => v.id === id)))
  throw new Error(`BENCH_VARIANTS: known ids are ${ALL_VARIANTS.map((v) => v.id).join(', ')}`);
const VARIANTS = ALL_VARIANTS.filter((v) => (selected ? v.id === 'none' || selected.includes(v.id) : !v.extra));
ALL_VARIANTS.forEach((v, i) => (v.port = PORT_BASE + 1 + i));
const KEY_PORT = PORT_BASE;
const RAW_PORT = PORT_BASE + 21;
if (ALL_VARIANTS.length > 12) throw new Error('too many variants for the port plan');
/** Fresh processes with cold key caches: 100 concurrent requests each must cause one fetch. */
const COLD = [
  { id: 'cold-hanko', label: 'HankoGuard, prefetch off', kind: 'hanko', options: { keys: { prefetch: false } }, mustBeOne: true },
  { id: 'cold-hanko-boot', label: 'HankoGuard, default (prefetch at boot)', kind: 'hanko', mustBeOne: true },
  { id: 'cold-passport', label: "AuthGuard('jwt') + passportJwtSecret", kind: 'passport' },
  { id: 'cold-jose', label: 'jose createRemoteJWKSet', kind: 'jose' },
];
COLD.forEach((v, i) => (v.port = PORT_BASE + 13 + i));
const PERIOD = {
  id: 'period-hanko',
  kind: 'hanko',
  port: PORT_BASE + 20,
  // Every request goes to the key source (no token cache), whose key set expires every few seconds.
  options: { tokenCache: false, keys: { cacheMaxAge: CONFIG.periodMaxAge, refetchCooldown: 0 } },
};

/** RSA modulus of the signing key: 4096 like self-hosted Hanko; BENCH_KEY_BITS=2048 for Hanko Cloud-like keys. */
const KEY_BITS = Number(process.env.BENCH_KEY_BITS ?? 4096);
/** A measurement during which other processes used more CPU than this is called disturbed. */
const DISTURBED_CORES = Number(process.env.BENCH_DISTURBED_CORES ?? 0.1);
const CPU_PROF_DIR = process.env.BENCH_CPU_PROF; // e.g. /tmp/prof: apps run with --cpu-prof
const children = new Set();
let keyServerPid;
let failures = [];
const fail = (message) => {
  failures.push(message);
  console.error(`FAIL: ${message}`);
};

function track(child, label) {
  child.label = label;
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

async function stopAll() {
  const alive = [...children];
  for (const child of alive) {
    child.stdin?.end();
    child.kill('SIGTERM');
  }
  const deadline = Date.now() + 5000;
  while (children.size > 0 && Date.now() < deadline) await sleep(50);
  for (const child of children) child.kill('SIGKILL');
}
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping child processes`);
    void stopAll().finally(() => process.exit(130));
  });
}

async function startKeyServer() {
  // Not pinned: it mints the pool on every core first, then only answers a handful of requests.
  const child = track(spawnNode(KEY_SERVER, [String(KEY_PORT), String(CONFIG.poolSize), String(KEY_BITS)]), 'key server');
  keyServerPid = child.pid;
  return waitForLine(child, 'READY', 180_000, 'key server');
}

async function startApp(variant, jwksBase) {
  const args = [variant.kind, String(variant.port), jwksBase, variant.id];
  if (variant.options) args.push(JSON.stringify(variant.options));
  const execArgv = CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF_DIR}`, `--cpu-prof-name=${variant.id}.cpuprofile`] : [];
  const env = variant.lib ? { BENCH_LIB: variant.lib } : {};
  const child = track(spawnNode(APP, args, { core: 0, execArgv, env }), variant.id);
  variant.process = child;
  const ready = await waitForLine(child, 'READY', 60_000, `app ${variant.id}`);
  variant.readyAt = Date.now();
  // Keep reading its output so a chatty child never blocks on a full pipe.
  child.stdout.resume();
  child.stderr.on('data', (chunk) => process.stderr.write(`[${variant.id}] ${chunk}`));
  return ready;
}

async function stopApp(variant) {
  const child = variant.process;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.stdin.end();
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(5000)]);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

/**
 * One autocannon run against `variant`. Also measures how much CPU other processes of the machine
 * (not the app, the load generator, the key server or this runner) used meanwhile: `foreignCores`.
 */
async function load(variant, tokens, seconds, poolFile) {
  // Distinct tokens continue one rotation across every run against this app: restarting it at
  // token 0 each time would replay tokens still in the app's verified-token cache.
  const options = {
    url: `http://${HOST}:${variant.port}/hello`,
    seconds,
    connections: CONFIG.connections,
    tokens,
    poolFile,
    poolSize: CONFIG.poolSize,
    startAt: variant.nextToken ?? 0,
  };
  const appTicks = () => processTicks(variant.process.pid) ?? NaN;
  const ours = () => (processTicks(variant.process.pid) ?? 0) + (processTicks(keyServerPid) ?? 0);
  const busy0 = machineBusyTicks();
  const ours0 = ours();
  const app0 = appTicks();
  const self0 = process.cpuUsage();
  const t0 = performance.now();
  const child = track(spawnNode(LOAD, [JSON.stringify(options)], { core: 1 }), `load ${variant.id}`);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const result = await waitForLine(child, 'RESULT', (seconds + 60) * 1000, `load on ${variant.id}`);
  await Promise.race([exited, sleep(5000)]);
  if (result.nextToken !== undefined && result.nextToken !== null) variant.nextToken = result.nextToken;
  const wall = (performance.now() - t0) / 1000;
  // CPU time the app spent per request: unlike req/s, hardly moved by other processes taking turns.
  result.appCpuUs = ((appTicks() - app0) / clockTicks() / result.requests) * 1e6;
  const busy1 = machineBusyTicks();
  if (busy0 !== undefined && busy1 !== undefined) {
    const self = process.cpuUsage(self0);
    const hz = clockTicks();
    const known = ours() - ours0 + ((result.cpuMs + (self.user + self.system) / 1000) / 1000) * hz;
    result.foreignCores = Math.max(0, (busy1 - busy0 - known) / hz / wall);
  }
  return result;
}

/** Waits (bounded) until other processes leave the CPUs alone, so they don't skew the numbers. */
async function waitForQuiet(maxSeconds) {
  const hz = clockTicks();
  let foreign;
  for (let waited = 0; waited <= maxSeconds; waited += 2) {
    const b0 = machineBusyTicks();
    const s0 = process.cpuUsage();
    const k0 = processTicks(keyServerPid) ?? 0;
    await sleep(2000);
    const b1 = machineBusyTicks();
    if (b0 === undefined || b1 === undefined) return undefined;
    const self = process.cpuUsage(s0);
    const known = (processTicks(keyServerPid) ?? 0) - k0 + ((self.user + self.system) / 1e6) * hz;
    foreign = Math.max(0, (b1 - b0 - known) / hz / 2);
    if (foreign < 0.1) return foreign;
    if (waited === 0)
      console.log(`other processes are using ${foreign.toFixed(2)} cores; waiting up to ${maxSeconds} s for a quiet machine…`);
  }
  return foreign;
}

function httpGet(port, path, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = request({ host: HOST, port, path, headers, agent: false, timeout: 15_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${port}${path} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

async function keyStats(jwksBase) {
  const response = await fetch(`${jwksBase}/_bench/stats`);
  return response.json();
}

function subjectOf(token) {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')).sub;
}

/** Every app must answer as its variant should before anything is measured. */
async function sanityCheck(variant, tokens) {
  const bearer = { authorization: `Bearer ${tokens[0]}` };
  const parts = tokens[1].split('.');
  const forged = `${parts[0]}.${parts[1]}.${parts[2].slice(0, -4)}${parts[2].slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
  const anonymous = await httpGet(variant.port, '/hello');
  const withToken = await httpGet(variant.port, '/hello', bearer);
  const withForged = await httpGet(variant.port, '/hello', { authorization: `Bearer ${forged}` });
  if (variant.kind === 'none' || variant.kind.startsWith('noop')) {
    if (anonymous.status !== 200) fail(`${variant.id}: GET /hello answered ${anonymous.status}, expected 200`);
    return;
  }
  if (anonymous.status !== 401) fail(`${variant.id}: no token answered ${anonymous.status}, expected 401`);
  if (withForged.status !== 401) fail(`${variant.id}: a forged signature answered ${withForged.status}, expected 401`);
  if (withToken.status !== 200)
    fail(`${variant.id}: a valid token answered ${withToken.status}, expected 200 (${withToken.body.slice(0, 200)})`);
  else if (JSON.parse(withToken.body).id !== subjectOf(tokens[0])) fail(`${variant.id}: answered for the wrong user: ${withToken.body}`);
}

function checkLoad(label, result) {
  const bad = result.requests - result.ok;
  if (result.ok === 0 || bad > 0 || result.errors > 0 || result.timeouts > 0) {
    fail(
      `${label}: ${result.ok} ok, ${bad} non-2xx (${JSON.stringify(result.statuses)}), ${result.errors} errors, ${result.timeouts} timeouts`,
    );
  }
}

const f0 = (x) => (Number.isFinite(x) ? x.toFixed(0) : '–');
const f2 = (x) => (Number.isFinite(x) ? x.toFixed(2) : '–');
const f3 = (x) => (Number.isFinite(x) ? x.toFixed(3) : '–');

function table(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
  return [line(headers), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

async function main() {
  const started = Date.now();
  const cpuModel = cpus()[0]?.model ?? 'unknown CPU';
  console.log(`nestjs-hanko-auth benchmark${SMOKE ? ' (SMOKE: timings meaningless)' : ''}`);
  console.log(`${new Date().toISOString()} · Node ${process.version} · ${availableParallelism()} CPUs · ${cpuModel}`);
  console.log(
    canPin()
      ? 'pinning: apps on core 0 (taskset -c 0), autocannon on core 1 (taskset -c 1)'
      : 'pinning: unavailable (no taskset or a single CPU): apps and load generator share the CPUs, numbers are noisier',
  );
  console.log(
    `${CONFIG.rounds} round(s) × ${VARIANTS.length} variants × ${CONFIG.seconds} s after ${CONFIG.warmup} s warm-up each, ` +
      `${CONFIG.connections} connections, pool of ${CONFIG.poolSize} distinct tokens, ports ${PORT_BASE}–${PORT_BASE + 21}`,
  );

  for (const port of [KEY_PORT, RAW_PORT, PERIOD.port, ...VARIANTS.map((v) => v.port), ...COLD.map((v) => v.port)])
    await assertPortFree(port);

  const keyServer = await startKeyServer();
  const { jwksBase, poolFile } = keyServer;
  console.log(
    `key server: RSA-${keyServer.bits} kid ${keyServer.kid}, ${keyServer.poolSize} tokens ${keyServer.fromCache ? 'reused from' : 'minted into'} ${poolFile} (${keyServer.preparedMs} ms)`,
  );
  const tokens = JSON.parse(readFileSync(poolFile, 'utf8')).tokens;
  const quiet = await waitForQuiet(SMOKE ? 0 : 180);
  if (quiet !== undefined && quiet >= 0.1)
    console.log(`WARNING: other processes keep ${quiet.toFixed(2)} cores busy; numbers will be noisy`);

  // The load generator's own ceiling, against the cheapest server there is.
  const raw = { id: 'raw', kind: 'raw', port: RAW_PORT };
  await startApp(raw, jwksBase);
  const ceilingSeconds = SMOKE ? 1 : 3;
  const ceilingPlain = await load(raw, 'none', ceilingSeconds, poolFile);
  const ceilingRotating = await load(raw, 'distinct', ceilingSeconds, poolFile);
  checkLoad('raw', ceilingPlain);
  await stopApp(raw);
  console.log(
    `load generator ceiling (bare node:http on core 0): ${f0(ceilingPlain.rps)} req/s plain, ${f0(ceilingRotating.rps)} req/s rotating tokens`,
  );

  const appsStarted = Date.now();
  await Promise.all(VARIANTS.map((v) => startApp(v, jwksBase)));
  for (const v of VARIANTS) await sanityCheck(v, tokens);
  if (failures.length) throw new Error('an app did not answer as its variant should; nothing measured');

  for (const v of VARIANTS) {
    const warm = await load(v, v.tokens, CONFIG.warmup, poolFile);
    checkLoad(`${v.id} warm-up`, warm);
  }

  // Rounds where other processes used the CPUs (another build or test run on this machine) are
  // measured again, within a bound; the last allowed attempt is kept either way and flagged.
  const rounds = [];
  const maxAttempts = SMOKE ? 1 : CONFIG.rounds * 3;
  let attempts = 0;
  let disturbedKept = 0;
  while (rounds.length < CONFIG.rounds && attempts < maxAttempts) {
    const r = attempts++;
    // Rotate the order each round so no variant always runs first or right after another.
    const order = VARIANTS.map((_, i) => VARIANTS[(i + r) % VARIANTS.length]);
    const round = {};
    for (const v of order) {
      const result = await load(v, v.tokens, CONFIG.seconds, poolFile);
      checkLoad(`${v.id} round ${r + 1}`, result);
      round[v.id] = result;
    }
    const foreign = Math.max(...VARIANTS.map((v) => round[v.id].foreignCores ?? 0));
    const disturbed = foreign > DISTURBED_CORES;
    const lastChance = CONFIG.rounds - rounds.length >= maxAttempts - attempts + 1;
    const keep = !disturbed || SMOKE || lastChance;
    if (keep) rounds.push(round);
    if (keep && disturbed) disturbedKept++;
    console.log(
      `round ${attempts}: ${VARIANTS.map((v) => `${v.id} ${f0(round[v.id].rps)}/s ${f0(round[v.id].appCpuUs)}µs`).join(', ')}` +
        ` · others used up to ${f2(foreign)} cores${disturbed ? (keep ? ' (DISTURBED, kept)' : ' (disturbed: measured again)') : ''}`,
    );
  }
  const loadEnded = Date.now();
  const mainStats = await keyStats(jwksBase);

  // Per variant: medians over rounds; ratios and added p99 computed within each round, then medianed.
  const summary = VARIANTS.map((v) => {
    const per = rounds.map((round) => round[v.id]);
    return {
      id: v.id,
      label: v.label,
      rps: median(per.map((x) => x.rps)),
      p50: median(per.map((x) => x.p50)),
      p99: median(per.map((x) => x.p99)),
      ratio: median(rounds.map((round) => round[v.id].rps / round.none.rps)),
      vsPassport: median(rounds.map((round) => round[v.id].rps / (round.passport?.rps ?? NaN))),
      p99Added: median(rounds.map((round) => round[v.id].p99 - round.none.p99)),
      cpuUs: median(per.map((x) => x.appCpuUs)),
      cpuRatio: median(rounds.map((round) => round.none.appCpuUs / round[v.id].appCpuUs)),
      rounds: per.map((x) => x.rps),
    };
  });
  console.log('');
  console.log(
    table(
      [
        'variant',
        'req/s (median)',
        'p50 ms',
        'p99 ms',
        '× no guard',
        '× passport-jwt',
        'p99 added ms',
        'app CPU µs/req',
        '× no guard by CPU',
      ],
      summary.map((s) => [
        s.label,
        f0(s.rps),
        f3(s.p50),
        f3(s.p99),
        f2(s.ratio),
        f2(s.vsPassport),
        s.id === 'none' ? '–' : f3(s.p99Added),
        f0(s.cpuUs),
        f2(s.cpuRatio),
      ]),
    ),
  );

  const byId = Object.fromEntries(summary.map((s) => [s.id, s]));
  const targets = [
    ['repeated token ≥ 0.95× no guard', byId['hanko-repeat']?.ratio, 0.95, f2],
    ['distinct tokens ≥ 0.70× no guard', byId['hanko-distinct']?.ratio, 0.7, f2],
    ['repeated token ≥ 3× passport-jwt + passportJwtSecret', byId['hanko-repeat']?.vsPassport, 3, f2],
    ['distinct tokens ≥ 3× passport-jwt + passportJwtSecret', byId['hanko-distinct']?.vsPassport, 3, f2],
    ['p99 added ≤ 1 ms (repeated token)', byId['hanko-repeat']?.p99Added, -1, f3],
    ['p99 added ≤ 1 ms (distinct tokens)', byId['hanko-distinct']?.p99Added, -1, f3],
  ];
  if (disturbedKept > 0) console.log(`WARNING: ${disturbedKept} kept round(s) were disturbed by other processes on this machine`);
  console.log(`\nTargets (informational${SMOKE ? '; smoke numbers mean nothing' : ''}):`);
  for (const [name, value, bound, fmt] of targets) {
    if (!Number.isFinite(value)) continue; // a variant left out with BENCH_VARIANTS
    const met = bound > 0 ? value >= bound : value <= -bound;
    console.log(`  ${met ? 'met   ' : 'MISSED'} ${name}: ${fmt(value)}`);
  }

  // Key fetches: each app process is its own tenant prefix on the key server.
  const elapsedS = (loadEnded - appsStarted) / 1000;
  const periods = Math.max(1, Math.ceil(elapsedS / 600));
  console.log(`\nKey fetches per app process over ${f0(elapsedS)} s of load (key cache period 600 s → at most ${periods} per process):`);
  for (const v of VARIANTS.filter((x) => x.kind !== 'none' && !x.kind.startsWith('noop'))) {
    const count = mainStats.byTenant[v.id] ?? 0;
    const ok = count >= 1 && count <= periods;
    console.log(`  ${ok ? 'ok  ' : 'BAD '} ${v.label}: ${count}`);
    if (!ok && v.kind === 'hanko') fail(`${v.id}: ${count} key fetches, expected ${periods === 1 ? 'exactly 1' : `1..${periods}`}`);
  }

  // Stop the measured apps before the checks below boot more processes on core 0.
  await Promise.all(VARIANTS.map(stopApp));

  // Cold caches: 100 concurrent requests (distinct tokens, one connection each) right after boot.
  console.log('\nCold key cache, 100 concurrent requests right after boot (distinct tokens):');
  await Promise.all(COLD.map((v) => startApp(v, jwksBase)));

  const coldResults = [];
  for (const v of COLD) {
    const statuses = {};
    const answers = await Promise.allSettled(tokens.slice(1, 101).map((t) => httpGet(v.port, '/hello', { authorization: `Bearer ${t}` })));
    for (const a of answers) {
      const key = a.status === 'fulfilled' ? a.value.status : 'error';
      statuses[key] = (statuses[key] ?? 0) + 1;
    }
    const after = await keyStats(jwksBase);
    const count = after.byTenant[v.id] ?? 0;
    const okCount = count === 1;
    const okStatus = statuses[200] === 100;
    coldResults.push({ id: v.id, label: v.label, fetches: count, statuses });
    console.log(`  ${okCount && okStatus ? 'ok  ' : 'BAD '} ${v.label}: ${count} fetch(es), statuses ${JSON.stringify(statuses)}`);
    if (v.mustBeOne && !okCount) fail(`${v.id}: ${count} key fetches for 100 concurrent cold requests, expected 1`);
    if (!okStatus) fail(`${v.id}: not every cold request succeeded: ${JSON.stringify(statuses)}`);
  }
  await Promise.all(COLD.map(stopApp));

  // One fetch per cache period under load: a key set that expires every few seconds.
  const maxAge = CONFIG.periodMaxAge;
  await startApp(PERIOD, jwksBase);
  // Let the boot-time prefetch (not awaited by the app) land first, so it is counted apart.
  let bootFetches = 0;
  for (let i = 0; i < 30 && bootFetches === 0; i++) {
    bootFetches = (await keyStats(jwksBase)).byTenant[PERIOD.id] ?? 0;
    if (bootFetches === 0) await sleep(100);
  }
  const periodStart = Date.now();
  const periodResult = await load(PERIOD, 'repeat', CONFIG.periodLoad, poolFile);
  checkLoad(PERIOD.id, periodResult);
  const periodEnd = Date.now();
  const periodFetches = ((await keyStats(jwksBase)).byTenant[PERIOD.id] ?? 0) - bootFetches;
  // Stale-while-revalidate: a refresh starts on the first request after each expiry.
  const sinceBoot = (periodEnd - PERIOD.readyAt) / 1000;
  const loadS = (periodEnd - periodStart) / 1000;
  const low = Math.max(1, Math.floor(loadS / maxAge) - 1);
  const high = Math.ceil(sinceBoot / maxAge) + 1;
  const periodOk = periodFetches >= low && periodFetches <= high;
  console.log(
    `\nKey-cache period check (HankoGuard, keys.cacheMaxAge ${maxAge} s, no token cache, ${f0(periodResult.rps)} req/s for ${loadS.toFixed(1)} s):` +
      `\n  ${periodOk ? 'ok  ' : 'BAD '} ${bootFetches} fetch at boot + ${periodFetches} under load (expected ${low}–${high}, about one per ${maxAge} s period)`,
  );
  if (!periodOk)
    fail(
      `${PERIOD.id}: ${periodFetches} key fetches under ${loadS.toFixed(1)} s of load with a ${maxAge} s cache, expected ${low}–${high}`,
    );
  await stopApp(PERIOD);

  if (process.env.BENCH_JSON) {
    writeFileSync(
      process.env.BENCH_JSON,
      JSON.stringify(
        {
          date: new Date(started).toISOString(),
          node: process.version,
          cpus: availableParallelism(),
          cpuModel,
          pinned: canPin(),
          config: CONFIG,
          ceiling: { plain: ceilingPlain.rps, rotating: ceilingRotating.rps },
          summary,
          rounds,
          fetches: { main: mainStats.byTenant, cold: coldResults, period: { bootFetches, periodFetches, low, high, loadS, sinceBoot } },
        },
        null,
        2,
      ),
    );
  }
  console.log(`\ndone in ${f0((Date.now() - started) / 1000)} s${failures.length ? ` with ${failures.length} failure(s)` : ''}`);
}

let exitCode = 0;
try {
  await main();
  if (failures.length) exitCode = 1;
} catch (error) {
  console.error(error instanceof Error ? error.stack : error);
  exitCode = 1;
} finally {
  await stopAll();
}
process.exit(exitCode);
