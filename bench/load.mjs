// One autocannon run from its own process (pinned by run.mjs to another core than the apps).
//
// Usage: node bench/load.mjs '<json>'  with
//   { url, seconds, connections, tokens: 'none'|'repeat'|'distinct'|'zipf', poolFile, poolSize, startAt, sessions, seed }
// With 'distinct', the rotation starts at token `startAt` and RESULT reports `nextToken`, so the
// runner can continue it in the next run: over all runs the app sees one unbroken cycle.
// With 'zipf', every request carries the token of one of the first `sessions` pool tokens (one live
// session each), drawn by a Zipf law with s = 1: the session of rank k is chosen with probability
// proportional to 1/k, so a few sessions make most of the requests, as real traffic does. The draw
// is seeded (`seed`), so every variant of a round sees the same sequence.
// Prints `RESULT {json}`: requests, seconds, rps, p50/p90/p99 in ms (from every response's own
// high-resolution duration, not autocannon's whole-millisecond histogram), status counts.
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { percentile } from './common.mjs';

const options = JSON.parse(process.argv[2] ?? '{}');
const { url, seconds, connections = 10, tokens = 'none', poolFile, poolSize } = options;
if (!url || !(seconds > 0 && seconds <= 120)) throw new Error('load.mjs: url and 0 < seconds <= 120 are required');

const headers = {};
const requests = [];
let values;
let next;
if (tokens !== 'none') {
  const pool = JSON.parse(readFileSync(poolFile, 'utf8')).tokens;
  if (tokens === 'repeat') {
    // What browsers do: the same session token on every request.
    headers.authorization = `Bearer ${pool[0]}`;
  } else if (tokens === 'zipf') {
    values = pool.slice(0, options.sessions).map((t) => `Bearer ${t}`);
    const draw = zipfSampler(values.length, 1, options.seed ?? 1);
    requests.push({
      setupRequest(request) {
        request.headers.authorization = values[draw()];
        return request;
      },
    });
  } else {
    // A different valid token on every request, in one shared rotation over all connections: with
    // more tokens than the verified-token cache holds, LRU never finds the next one.
    values = pool.slice(0, poolSize ?? pool.length).map((t) => `Bearer ${t}`);
    next = (options.startAt ?? 0) % values.length;
    requests.push({
      setupRequest(request) {
        request.headers.authorization = values[next];
        next = next + 1 === values.length ? 0 : next + 1;
        return request;
      },
    });
  }
}

// Pre-sized: at most ~60k responses/s for the whole run; grows if ever needed.
let durations = new Float64Array(Math.ceil(seconds * 60_000));
let count = 0;
const statuses = {};

const instance = autocannon({
  url,
  connections,
  duration: seconds,
  headers,
  ...(requests.length ? { requests } : {}),
  timeout: 10,
});
instance.on('response', (_client, statusCode, _bytes, responseTime) => {
  statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
  if (statusCode < 200 || statusCode >= 300) return;
  if (count === durations.length) {
    const bigger = new Float64Array(durations.length * 2);
    bigger.set(durations);
    durations = bigger;
  }
  durations[count++] = responseTime;
});

const result = await new Promise((resolve, reject) => {
  instance.once('done', resolve);
  instance.once('error', reject);
});

const sorted = durations.subarray(0, count).sort();
const out = {
  requests: result.requests.total,
  ok: count,
  seconds: result.duration,
  rps: result.requests.total / result.duration,
  p50: percentile(sorted, 50),
  p90: percentile(sorted, 90),
  p99: percentile(sorted, 99),
  statuses,
  non2xx: result.non2xx,
  errors: result.errors,
  timeouts: result.timeouts,
  nextToken: next,
  // This process's own CPU time, so run.mjs can tell what else was using the machine meanwhile.
  cpuMs: (process.cpuUsage().user + process.cpuUsage().system) / 1000,
};
process.stdout.write(`RESULT ${JSON.stringify(out)}\n`);

/** Indices 0..n-1 drawn with probability ∝ 1/(k+1)^s, from a seeded PRNG (mulberry32): a CDF and a binary search. */
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
