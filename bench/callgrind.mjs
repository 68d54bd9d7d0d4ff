// Instructions per request, end to end, independent of the machine's load: one app process of
// bench/app.mjs under `valgrind --tool=callgrind`, a fixed seeded request sequence from this
// process, and callgrind's counters zeroed after the warm-up and dumped after the measured requests.
// Slow (~50× under valgrind); the counts do not move with other processes' CPU use.
//
// Usage (after `npm run build`; the key server's token pool is reused as run.mjs makes it):
//   node bench/callgrind.mjs <kind> <tokens: zipf|repeat|distinct> [requests=2000] [optionsJson]
//   kind: hanko | mincache | floor | none (see app.mjs). BENCH_LIB=<dist> runs another build.
// Prints `CALLGRIND {json}` with instructions per measured request.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, mkdtempSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HOST, PORT_BASE, waitForLine } from './common.mjs';

const [kind, tokens, requestsArg, optionsJson] = process.argv.slice(2);
const N = Number(requestsArg ?? 2000);
const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 5000);
const children = [];
process.on('exit', () => children.forEach((c) => c.kill()));

const keyPort = PORT_BASE + 35;
const appPort = PORT_BASE + 36;
const keyServer = spawn(process.execPath, ['bench/key-server.mjs', String(keyPort), '10240'], {
  stdio: ['pipe', 'pipe', 'pipe'],
});
children.push(keyServer);
const keys = await waitForLine(keyServer, 'READY', 600_000, 'key server');
const pool = JSON.parse(readFileSync(keys.poolFile, 'utf8')).tokens;

const outDir = mkdtempSync(join(tmpdir(), 'callgrind-'));
const outFile = join(outDir, 'callgrind.out');
const app = spawn(
  'valgrind',
  [
    '--tool=callgrind',
    '--smc-check=all',
    // BENCH_CACHE_SIM=1: also simulate the caches (D1 and last-level misses per request), ~2× slower.
    ...(process.env.BENCH_CACHE_SIM === '1' ? ['--cache-sim=yes'] : []),
    `--callgrind-out-file=${outFile}`,
    process.execPath,
    '--single-threaded',
    'bench/app.mjs',
    kind,
    String(appPort),
    keys.jwksBase,
    `cg-${kind}`,
    ...(optionsJson ? [optionsJson] : []),
  ],
  { stdio: ['pipe', 'pipe', 'pipe'] },
);
children.push(app);
await waitForLine(app, 'READY', 600_000, 'app under valgrind');

const agent = new Agent({ keepAlive: true, maxSockets: 10 });
// A keep-alive socket the slowed-down server closed just as a request went out: send it again.
const get = (token, retries = 3) =>
  send(token).catch((error) => (retries > 0 && error.code === 'ECONNRESET' ? get(token, retries - 1) : Promise.reject(error)));
const send = (token) =>
  new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: HOST, port: appPort, path: '/hello', agent, headers: token ? { authorization: `Bearer ${token}` } : {} },
      (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`status ${res.statusCode}`))));
      },
    );
    req.on('error', reject);
    req.end();
  });
async function drive(sequence) {
  let next = 0;
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      while (next < sequence.length) await get(sequence[next++]);
    }),
  );
}

const sessions = pool.slice(0, SESSIONS);
const draw = zipfSampler(sessions.length, 1, 7);
const measured = Array.from({ length: N }, (_, i) =>
  kind === 'none' ? undefined : tokens === 'repeat' ? pool[0] : tokens === 'distinct' ? pool[i % pool.length] : sessions[draw()],
);
// Warm-up: every session verified once (zipf), or N/2 requests of the measured kind (JIT settles).
if (tokens === 'zipf') await drive(sessions);
await drive(tokens === 'distinct' ? pool.slice(N, N + Math.min(2000, pool.length - N)) : measured.slice(0, Math.min(N, 2000)));
execFileSync('callgrind_control', ['-z', String(app.pid)], { stdio: 'ignore', timeout: 600_000 });
await drive(measured);
execFileSync('callgrind_control', ['-d', String(app.pid)], { stdio: 'ignore', timeout: 600_000 });
const dumps = execFileSync('sh', ['-c', `ls ${outDir}`], { encoding: 'utf8' })
  .trim()
  .split('\n');
const last = dumps
  .filter((f) => /\.\d+$/.test(f))
  .sort((a, b) => Number(a.split('.').pop()) - Number(b.split('.').pop()))
  .pop();
const text = readFileSync(join(outDir, last), 'utf8');
const events = text.match(/^events: (.*)$/m)[1].split(' ');
const totals = (text.match(/^summary: (.*)$/m) ?? text.match(/^totals: (.*)$/m))[1].split(' ').map(Number);
const perRequest = Object.fromEntries(events.map((e, i) => [e, Math.round(totals[i] / N)]));
console.log(`CALLGRIND ${JSON.stringify({ kind, tokens, requests: N, perRequest, file: join(outDir, last) })}`);
agent.destroy();
process.exit(0);

function zipfSampler(n, s, seed) {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let k = 0; k < n; k++) cdf[k] = sum += 1 / (k + 1) ** s;
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => {
    const u = random() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}
