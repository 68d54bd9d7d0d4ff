// The benchmark's one key server process: HankoTestIssuer (RSA-4096 like self-hosted Hanko, unless
// BENCH_KEY_BITS says otherwise) serving
// /<tenant>/.well-known/jwks.json for every tenant prefix, counting fetches per prefix (one prefix per
// app process, the way Hanko's multi-tenancy prefixes its API URL), plus /_bench/stats.
//
// It also mints the pool of distinct valid session tokens. RSA-4096 signing runs at ~200/s per core,
// so the pool (key + tokens) is kept in os.tmpdir() and reused while its tokens have hours left;
// BENCH_FRESH_TOKENS=1 mints a new one.
//
// Usage: node bench/key-server.mjs <port> <poolSize> [modulusBits=4096]   prints `READY {json}` once listening.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { HankoTestIssuer } from '../dist/testing/index.js';
import { AUDIENCE, HOST, exitWithParent } from './common.mjs';

const TENANT_JWKS = /^\/([A-Za-z0-9_-]{1,64})\/\.well-known\/jwks\.json$/;
const POOL_DIR = join(tmpdir(), 'nestjs-hanko-auth-bench');
/** A cached pool is reused only while every token stays valid this much longer (the run is minutes). */
const MIN_REMAINING_S = 2 * 3600;

class BenchIssuer extends HankoTestIssuer {
  byTenant = Object.create(null);

  constructor(options, port) {
    super(options);
    this.port = port;
  }

  handle(req, res) {
    const path = (req.url ?? '').split('?')[0];
    const tenant = req.method === 'GET' ? TENANT_JWKS.exec(path) : null;
    if (tenant) {
      this.jwksRequests++;
      this.byTenant[tenant[1]] = (this.byTenant[tenant[1]] ?? 0) + 1;
      return this.serveJwks(req, res);
    }
    if (req.method === 'GET' && path === '/_bench/stats') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ total: this.jwksRequests, byTenant: this.byTenant }));
      return;
    }
    return super.handle(req, res);
  }
}

if (!isMainThread) {
  // Minting worker: same private key, its own issuer instance, `count` fresh sessions.
  const { privateJwk, kid, count } = workerData;
  const issuer = new HankoTestIssuer({ audience: [AUDIENCE] });
  await issuer.addKey({ privateKey: privateJwk, kid });
  const tokens = [];
  for (let i = 0; i < count; i++) tokens.push(issuer.sign());
  parentPort.postMessage(tokens);
} else {
  await main();
}

async function main() {
  const port = Number(process.argv[2]);
  const poolSize = Number(process.argv[3]);
  // Hanko's self-hosted keys are RSA-4096 (the default); Hanko Cloud's may be 2048.
  const bits = Number(process.argv[4] ?? 4096);
  if (![2048, 3072, 4096].includes(bits)) throw new Error('modulusBits must be 2048, 3072 or 4096');
  const POOL_FILE = join(POOL_DIR, `pool-rsa${bits}.json`);
  if (!Number.isInteger(port) || !Number.isInteger(poolSize) || poolSize < 1 || poolSize > 100_000) {
    throw new Error('usage: key-server.mjs <port> <poolSize 1..100000>');
  }
  const issuer = new BenchIssuer({ audience: [AUDIENCE] }, port);
  exitWithParent(() => void issuer.close());

  const started = performance.now();
  let pool = process.env.BENCH_FRESH_TOKENS === '1' ? undefined : loadPool(POOL_FILE, poolSize);
  const fromCache = pool !== undefined;
  if (pool) {
    await issuer.addKey({ privateKey: pool.privateJwk, kid: pool.kid });
  } else {
    const key = await issuer.addKey({ modulusLength: bits });
    const privateJwk = key.privateKey.export({ format: 'jwk' });
    // Lifetime is Hanko's default 12 h from signing; take the earliest possible exp.
    const minExp = Math.floor(Date.now() / 1000) + 12 * 3600;
    const tokens = await mint(privateJwk, key.kid, poolSize);
    pool = { version: 1, audience: AUDIENCE, bits, kid: key.kid, privateJwk, minExp, tokens };
    mkdirSync(POOL_DIR, { recursive: true, mode: 0o700 });
    // Written whole, then renamed: a concurrent run never reads half a file.
    const tmp = `${POOL_FILE}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(pool), { mode: 0o600 });
    renameSync(tmp, POOL_FILE);
  }
  await issuer.listen();
  const info = {
    port,
    bits,
    kid: pool.kid,
    poolFile: POOL_FILE,
    poolSize: pool.tokens.length,
    fromCache,
    preparedMs: Math.round(performance.now() - started),
    jwksBase: `http://${HOST}:${port}`,
  };
  process.stdout.write(`READY ${JSON.stringify(info)}\n`);
}

function loadPool(file, poolSize) {
  try {
    const pool = JSON.parse(readFileSync(file, 'utf8'));
    const fresh = pool.minExp - Date.now() / 1000 > MIN_REMAINING_S;
    if (pool.version === 1 && pool.audience === AUDIENCE && fresh && pool.tokens.length >= poolSize) return pool;
  } catch {
    /* no usable pool yet */
  }
  return undefined;
}

async function mint(privateJwk, kid, count) {
  const threads = Math.max(1, Math.min(availableParallelism(), 4, Math.ceil(count / 50)));
  const share = Math.ceil(count / threads);
  const parts = await Promise.all(
    Array.from({ length: threads }, (_, i) => {
      const n = Math.min(share, count - i * share);
      return new Promise((resolve, reject) => {
        const worker = new Worker(new URL(import.meta.url), { workerData: { privateJwk, kid, count: n } });
        worker.once('message', resolve);
        worker.once('error', reject);
        worker.once('exit', (code) => code !== 0 && reject(new Error(`minting worker exited ${code}`)));
      });
    }),
  );
  return parts.flat();
}
