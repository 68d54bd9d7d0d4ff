// Issue 13 §2, measured from outside: Hanko's /sessions/validate starts hanging under a server that
// has been talking to it for a while. How many calls does the module send into the hang, and how
// long do the requests wait for their 503?
//
// Three processes, as in production: this one is Hanko (HankoTestIssuer, RSA-2048; it only accepts
// connections while hanging) and the load generator (autocannon, 25 connections); the app (Nest 12 +
// Express, HankoAuthModule with `revocation: true` and every other option at its default) runs in
// its own process (`node bench/outage.mjs app <apiUrl>`), pinned to another core when taskset can.
//
// Per run: a fresh app, 50 healthy sessions checked one at a time (the module learns Hanko's latency),
// then Hanko hangs and 1000 requests over 100 sessions without a cached answer go out. OUTAGE_RUNS
// (default 5) runs, each with its own app. No timing assertions: exit code 1 only if something is
// broken (a status other than 503 during the hang, or a failed warm-up).
//
// Usage: npm run build && node bench/outage.mjs
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { AUDIENCE, HOST, exitWithParent, percentile, spawnNode } from './common.mjs';

const REQUESTS = 1_000;
const SESSIONS = 100;
const CONNECTIONS = 25;
const WARM_UP_SESSIONS = 50;

if (process.argv[2] === 'app') await serveApp(process.argv[3]);
else await measure();

async function serveApp(apiUrl) {
  await import('reflect-metadata');
  const { Controller, Get, Module } = await import('@nestjs/common');
  const { NestFactory } = await import('@nestjs/core');
  const { HankoAuthModule } = await import('../dist/index.js');
  class HelloController {
    hello() {
      return { ok: true };
    }
  }
  Get('hello')(HelloController.prototype, 'hello', Object.getOwnPropertyDescriptor(HelloController.prototype, 'hello'));
  Controller()(HelloController);
  class AppModule {}
  Module({ imports: [HankoAuthModule.forRoot({ apiUrl, audience: AUDIENCE, revocation: true })], controllers: [HelloController] })(
    AppModule,
  );
  const app = await NestFactory.create(AppModule, { logger: ['error', 'warn'] });
  await app.listen(0, HOST);
  // process.exit follows at once: the hanging calls are what we measured, not what we wait for.
  exitWithParent(() => void app.close());
  console.log(`READY ${JSON.stringify({ url: `http://${HOST}:${app.getHttpServer().address().port}` })}`);
}

async function measure() {
  const { HankoTestIssuer } = await import('../dist/testing/index.js');
  class HangingHanko extends HankoTestIssuer {
    hanging = false;
    calls = 0;
    serveSessionValidation(req, res) {
      this.calls++;
      if (!this.hanging) return super.serveSessionValidation(req, res);
    }
  }
  const hanko = await HangingHanko.start({ audience: [AUDIENCE], modulusLength: 2048 });
  const runs = Number(process.env.OUTAGE_RUNS ?? 5);
  const rows = [];
  let broken = false;
  try {
    for (let run = 1; run <= runs; run++) {
      hanko.hanging = false;
      const app = spawnNode(fileURLToPath(import.meta.url), ['app', hanko.apiUrl], { core: 0, env: { NO_COLOR: '1' } });
      app.stderr.pipe(process.stderr);
      const url = await ready(app);
      try {
        for (let i = 0; i < WARM_UP_SESSIONS; i++) {
          const res = await fetch(`${url}/hello`, { headers: { authorization: `Bearer ${hanko.sign()}` } });
          if (res.status !== 200) throw new Error(`warm-up answered ${res.status}`);
        }
        const tokens = Array.from({ length: SESSIONS }, () => `Bearer ${hanko.sign()}`);
        hanko.hanging = true;
        const before = hanko.calls;
        const { times, statuses } = await load(`${url}/hello`, tokens);
        const row = summarise(run, times, statuses, hanko.calls - before);
        rows.push(row);
        console.log(format(row));
        if (Object.keys(statuses).some((status) => status !== '503')) broken = true;
      } finally {
        app.stdin.end();
        await once(app, 'exit');
      }
    }
  } finally {
    await hanko.close();
  }
  const range = (key, digits = 1) => {
    const values = rows.map((r) => r[key]);
    return `${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)}`;
  };
  console.log(
    `\n${rows.length} runs: Hanko calls ${range('calls', 0)}; requests waiting for the timeout ${range('timedOut', 0)}; ` +
      `the rest: p50 ${range('p50')} ms, p99 ${range('p99')} ms, max ${range('max')} ms, above 100 ms ${range('over100', 0)}`,
  );
  process.exitCode = broken ? 1 : 0;
}

/** The app's URL once it listens; its later output (warnings) is passed through, prefixed. */
function ready(child) {
  return new Promise((resolve, reject) => {
    let buffer = '';
    let listening = false;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      buffer += chunk;
      let end;
      while ((end = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 1);
        const match = /^READY (.*)/.exec(line);
        if (match && !listening) {
          listening = true;
          resolve(JSON.parse(match[1]).url);
        } else if (line.trim()) {
          console.log(`  app: ${line}`);
        }
      }
    });
    child.once('exit', () => listening || reject(new Error('the app exited before listening')));
  });
}

/** 1000 requests, 25 connections, sessions in turn; every response's own duration and status. */
async function load(url, tokens) {
  let next = 0;
  const times = [];
  const statuses = {};
  const instance = autocannon({
    url,
    connections: CONNECTIONS,
    amount: REQUESTS,
    timeout: 30,
    requests: [
      {
        setupRequest(request) {
          request.headers = { ...request.headers, authorization: tokens[next++ % tokens.length] };
          return request;
        },
      },
    ],
  });
  instance.on('response', (_client, status, _bytes, ms) => {
    statuses[status] = (statuses[status] ?? 0) + 1;
    times.push(ms);
  });
  await once(instance, 'done');
  return { times, statuses };
}

/** The requests whose own call went into the hang wait for revocation.timeout (5 s); the rest is what the issue's 100 ms is about. */
function summarise(run, times, statuses, calls) {
  const sorted = [...times].sort((a, b) => a - b);
  const rest = sorted.filter((ms) => ms < 4_000);
  return {
    run,
    calls,
    statuses,
    timedOut: sorted.length - rest.length,
    p50: percentile(rest, 50),
    p99: percentile(rest, 99),
    max: rest[rest.length - 1],
    over100: rest.filter((ms) => ms > 100).length,
  };
}

function format(r) {
  return (
    `run ${r.run}: ${JSON.stringify(r.statuses)}, ${r.calls} Hanko calls, ${r.timedOut} waited for the timeout; the rest ` +
    `p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, max ${r.max.toFixed(1)} ms, ${r.over100} above 100 ms`
  );
}
