// Revocation marks (webhooks): memory per mark and the per-request lookup, without HTTP.
//
//   npm run build && node --expose-gc bench/marks.mjs
//
// Prints the heap per session mark and per user mark (UUID ids, as Hanko's), and ns per isRevoked()
// for a live token with 0 marks and with 100 000 marks of other sessions and users.
import { randomUUID } from 'node:crypto';
import { HankoRevocationMarks } from '../dist/webhooks/hanko-revocation.marks.js';

const COUNT = Number(process.env.BENCH_MARKS ?? 100_000);
if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc');
const heap = () => {
  for (let i = 0; i < 4; i++) globalThis.gc();
  return process.memoryUsage().heapUsed;
};

/** Heap per mark, its id string (a UUID, as Hanko's) included. */
function perMark(kind) {
  const marks = new HankoRevocationMarks();
  const until = Date.now() + 3_600_000;
  const before = heap();
  for (let i = 0; i < COUNT; i++) {
    // Parsed from JSON like the event's id: randomUUID()'s own strings are slices of a shared batch.
    const id = JSON.parse(`"${randomUUID()}"`);
    marks.add(kind === 'session' ? { kind, id, until } : { kind, id, before: 1, until });
  }
  const bytes = (heap() - before) / COUNT;
  return { marks, bytes };
}

function nsPerLookup(marks) {
  const user = { id: randomUUID(), sessionId: randomUUID(), claims: { iat: Math.floor(Date.now() / 1000) } };
  const rounds = 5_000_000;
  let revoked = 0;
  for (let i = 0; i < 100_000; i++) revoked += marks.isRevoked(user) ? 1 : 0; // warm-up
  const start = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) revoked += marks.isRevoked(user) ? 1 : 0;
  const ns = Number(process.hrtime.bigint() - start) / rounds;
  if (revoked !== 0) throw new Error('a live token was refused');
  return ns;
}

const session = perMark('session');
const user = perMark('user');
const empty = new HankoRevocationMarks();
const mixed = new HankoRevocationMarks();
for (let i = 0; i < COUNT / 2; i++) mixed.add({ kind: 'session', id: randomUUID(), until: Date.now() + 3_600_000 });
for (let i = 0; i < COUNT / 2; i++) mixed.add({ kind: 'user', id: randomUUID(), before: 1, until: Date.now() + 3_600_000 });
console.log(`heap per session mark: ${session.bytes.toFixed(0)} B (Map entry, expiry, 36-character id string)`);
console.log(`heap per user mark:    ${user.bytes.toFixed(0)} B (Map entry, {before, until} object, 36-character id string)`);
console.log(`isRevoked(), live token, 0 marks:                 ${nsPerLookup(empty).toFixed(1)} ns`);
console.log(`isRevoked(), live token, ${COUNT} marks of others: ${nsPerLookup(mixed).toFixed(1)} ns`);
for (const marks of [session.marks, user.marks, empty, mixed]) marks.onModuleDestroy();
