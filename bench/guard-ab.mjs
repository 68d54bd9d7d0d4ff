// Diagnostic A/B of HankoGuard's miss path in one process: canActivate() with tokenCache false, this
// checkout's dist/ (A) against BENCH_AB_DIST (B, default dist-b/), alternating batches of 100 calls, CPU
// time per call (process.cpuUsage, so other processes on a shared machine hardly move it), median of
// the paired ratios. Build both first. Run pinned: `BATCHES=200 taskset -c 1 node bench/guard-ab.mjs`.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { HankoTestIssuer } from '../dist/testing/index.js';

const issuer = await HankoTestIssuer.start({ audience: ['localhost'] }); // RSA-4096 by default
const token = issuer.sign();
/** A handler for the context: only its identity matters (route metadata is read per handler). */
const handler = () => undefined;
class RouteController {
  handle() {}
}
async function guardFrom(dir) {
  const { HankoAuthModule, HankoGuard } = await import(`../${dir}/index.js`);
  const { HankoKeySource } = await import(`../${dir}/keys/hanko-key.source.js`);
  const app = await NestFactory.createApplicationContext(
    // Two builds in one process share Passport's one strategy table: this build registers under its
    // own name (an older build knows no strategyName and would refuse the option).
    HankoAuthModule.forRoot({
      apiUrl: issuer.apiUrl,
      audience: 'localhost',
      tokenCache: false,
      globalGuard: false,
      ...(dir === 'dist' ? { strategyName: 'hanko-ab' } : {}),
    }),
    { logger: ['error'] },
  );
  await app.get(HankoKeySource, { strict: false }).refresh();
  return { app, guard: app.get(HankoGuard, { strict: false }) };
}
const A = await guardFrom('dist');
const B = await guardFrom(process.env.BENCH_AB_DIST ?? 'dist-b');
async function batch(guard, n) {
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    const request = { headers: { authorization: `Bearer ${token}` } };
    const context = new ExecutionContextHost([request, { setHeader() {} }], RouteController, handler);
    context.setType('http');
    const answer = guard.canActivate(context);
    if ((answer instanceof Promise ? await answer : answer) !== true) throw new Error('refused');
  }
  const used = process.cpuUsage(start);
  return (used.user + used.system) / n;
}
for (let i = 0; i < 5; i++) {
  await batch(A.guard, 50);
  await batch(B.guard, 50);
}
const ratios = [];
const as = [];
const bs = [];
const N = Number(process.env.BATCHES ?? 40);
for (let i = 0; i < N; i++) {
  const first = i % 2 === 0;
  const a = first ? await batch(A.guard, 100) : undefined;
  const b = await batch(B.guard, 100);
  const a2 = first ? a : await batch(A.guard, 100);
  as.push(a2);
  bs.push(b);
  ratios.push(a2 / b);
}
const med = (x) => {
  const s = [...x].sort((p, q) => p - q);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};
console.log(
  JSON.stringify({
    batches: N,
    callsPerBatch: 100,
    medianCpuUsPerCallA: med(as).toFixed(1),
    medianCpuUsPerCallB: med(bs).toFixed(1),
    medianPairedRatioAoverB: med(ratios).toFixed(4),
    q1: med(
      ratios
        .slice()
        .sort((p, q) => p - q)
        .slice(0, N / 2),
    ).toFixed(4),
    q3: med(
      ratios
        .slice()
        .sort((p, q) => p - q)
        .slice(N / 2),
    ).toFixed(4),
  }),
);
await A.app.close();
await B.app.close();
await issuer.close();
