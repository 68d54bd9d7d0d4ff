import fc from 'fast-check';

/**
 * One seed per run, printed, so a failure reproduces: `FUZZ_SEED=<seed> npm test -- test/fuzz`.
 * `FUZZ_SCALE` multiplies every run count (e.g. 10 for a long local hunt, 0.1 for a quick look).
 * fast-check itself reports the seed and the shrunk counterexample path of a failing property.
 */
export const FUZZ_SEED = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
const SCALE = process.env.FUZZ_SCALE !== undefined ? Number(process.env.FUZZ_SCALE) : 1;

if (!Number.isInteger(FUZZ_SEED)) throw new Error(`FUZZ_SEED must be an integer, got ${process.env.FUZZ_SEED}`);
if (!(SCALE > 0)) throw new Error(`FUZZ_SCALE must be a positive number, got ${process.env.FUZZ_SCALE}`);

/** How many inputs a property gets at scale 1. */
export function runs(base: number): number {
  return Math.max(1, Math.round(base * SCALE));
}

/**
 * Jest's timeout for a fuzz test: the input counts are the contract, not the time, and the machine
 * may be shared (a loaded 2-core box runs these several times slower than an idle one).
 */
export const FUZZ_TIMEOUT_MS = Math.round(300_000 * Math.max(1, SCALE));

/** Parameters for fc.assert: the shared seed, no time limit (the counts are the contract). */
export function fuzzParameters(numRuns: number): fc.Parameters<unknown> {
  return { seed: FUZZ_SEED, numRuns, endOnFailure: true };
}

/** Inputs tried per property in this file, printed in afterAll for the closing report. */
export class FuzzTally {
  private readonly counts = new Map<string, number>();
  private readonly notes = new Map<string, number>();
  private readonly outcomes = new Map<string, number>();

  constructor(private readonly file: string) {}

  count(property: string, n = 1): void {
    this.counts.set(property, (this.counts.get(property) ?? 0) + n);
  }

  /** A known, reported (not failing) class of inputs, e.g. a non-canonical signature encoding that verified. */
  note(kind: string): void {
    this.notes.set(kind, (this.notes.get(kind) ?? 0) + 1);
  }

  /** How inputs were answered (e.g. "express 401"), printed beside the counts; not inputs themselves. */
  outcome(kind: string): void {
    this.outcomes.set(kind, (this.outcomes.get(kind) ?? 0) + 1);
  }

  noted(kind: string): number {
    return this.notes.get(kind) ?? 0;
  }

  total(): number {
    let sum = 0;
    for (const n of this.counts.values()) sum += n;
    return sum;
  }

  print(startedAt: number): void {
    const lines = [...this.counts].map(([name, n]) => `  ${String(n).padStart(7)}  ${name}`);
    const answers = [...this.outcomes].map(([name, n]) => `           answered: ${name}: ${n}`);
    const notes = [...this.notes].map(([name, n]) => `  known class (reported, not failed): ${name}: ${n}`);
    const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
    process.stderr.write(
      `[fuzz] ${this.file}: ${this.total()} inputs in ${seconds} s, seed ${FUZZ_SEED}` +
        ` (reproduce: FUZZ_SEED=${FUZZ_SEED} npm test -- test/fuzz/${this.file})\n${[...lines, ...answers, ...notes].join('\n')}\n`,
    );
  }
}
