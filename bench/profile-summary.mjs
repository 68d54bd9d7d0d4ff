// Summarises a V8 .cpuprofile (from `BENCH_CPU_PROF=/tmp/prof node bench/run.mjs`, which runs every
// app with --cpu-prof): where the app process spent its time under load.
//
// Usage: node bench/profile-summary.mjs <file.cpuprofile> [topN=25] [inclusiveRegex]
//   self time by function, self time by package/area, and inclusive time of functions whose
//   "name file" matches inclusiveRegex (default: the guard's and the strategies' entry points).
import { readFileSync } from 'node:fs';

const [file, topArg, inclusiveArg] = process.argv.slice(2);
if (!file) throw new Error('usage: profile-summary.mjs <file.cpuprofile> [topN] [inclusiveRegex]');
const top = Number(topArg ?? 25);
const inclusive = new RegExp(
  inclusiveArg ??
    '^(canActivate|authenticate|run|verify|precheckToken|getKey|toUser|extract) .*(dist/|jose|jsonwebtoken|passport)|^(verify|jwtVerify|flattenedVerify|compactVerify) .*(jsonwebtoken|jose)',
);
const profile = JSON.parse(readFileSync(file, 'utf8'));

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const label = (n) => {
  const { functionName, url, lineNumber } = n.callFrame;
  const short = url
    .replace(/^file:\/\//, '')
    .replace(/^.*\/node_modules\//, '~/')
    .replace(/^.*\/(dist|bench)\//, '$1/');
  return `${functionName || '(anonymous)'} ${short}${url ? `:${lineNumber + 1}` : ''}`;
};
const area = (n) => {
  const { url, functionName } = n.callFrame;
  if (!url) return functionName.startsWith('(') ? functionName : '(native/builtin)';
  if (url.startsWith('node:')) return url.split('/').slice(0, 2).join('/');
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1];
  if (/\/dist\//.test(url)) return 'nestjs-hanko-auth (dist)';
  if (/\/bench\//.test(url)) return 'bench';
  return url;
};

// Only time spent serving: idle time and start-up (module loading, Nest bootstrap) are left out.
const startupIds = new Set();
for (const n of profile.nodes) {
  if (
    label(n) === '(idle) ' ||
    /node:internal\/modules|nest-factory|nest-application\.js|instance-loader|scanner\.js/.test(n.callFrame.url)
  )
    startupIds.add(n.id);
}
const isExcluded = (id) => {
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) if (startupIds.has(cur)) return true;
  return false;
};
const self = new Map();
const selfArea = new Map();
const incl = new Map();
let total = 0;
const { samples, timeDeltas } = profile;
for (let i = 0; i < samples.length; i++) {
  const dt = (timeDeltas[i + 1] ?? timeDeltas[i] ?? 0) / 1000; // ms
  if (isExcluded(samples[i])) continue;
  total += dt;
  const node = byId.get(samples[i]);
  self.set(label(node), (self.get(label(node)) ?? 0) + dt);
  selfArea.set(area(node), (selfArea.get(area(node)) ?? 0) + dt);
  const seen = new Set();
  for (let id = samples[i]; id !== undefined; id = parent.get(id)) {
    const l = label(byId.get(id));
    if (seen.has(l) || !inclusive.test(l)) continue;
    seen.add(l);
    incl.set(l, (incl.get(l) ?? 0) + dt);
  }
}

const pct = (ms) => `${((ms / total) * 100).toFixed(1).padStart(5)} %`;
const print = (title, map, n) => {
  console.log(`\n${title}`);
  for (const [k, v] of [...map].sort((a, b) => b[1] - a[1]).slice(0, n)) console.log(`  ${pct(v)}  ${k}`);
};
console.log(`${file}: ${(total / 1000).toFixed(1)} s busy serving (idle and start-up left out); percentages of that`);
print('self time by area', selfArea, 20);
print(`self time by function (top ${top})`, self, top);
print('inclusive time of guard / verifier entry points', incl, 30);
