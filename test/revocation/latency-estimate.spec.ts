import { describe, expect, it } from '@jest/globals';
import { HANKO_STALL_BUDGET } from '../../src/hanko-auth.defaults.js';
import { HankoLatencyEstimate } from '../../src/http/hanko-latency.estimate.js';

/** The stall budget follows Hanko's own latency and jitter (RFC 6298's srtt + 4 × rttvar, at least 3 × srtt), within bounds. */
describe('HankoLatencyEstimate', () => {
  it('before any answer the budget is the cautious initial one, capped by the call timeout', () => {
    const estimate = new HankoLatencyEstimate();
    expect(estimate.stallAfterMs(5_000)).toBe(HANKO_STALL_BUDGET.initialMs);
    expect(estimate.stallAfterMs(300)).toBe(300);
  });

  it('a fast, steady Hanko gets the floor; a slow, steady one three times its latency (jitter is not a stall)', () => {
    const fast = new HankoLatencyEstimate();
    for (let i = 0; i < 20; i++) fast.sample(3);
    expect(fast.stallAfterMs(5_000)).toBe(HANKO_STALL_BUDGET.floorMs);
    const slow = new HankoLatencyEstimate();
    for (let i = 0; i < 50; i++) slow.sample(300);
    expect(slow.stallAfterMs(5_000)).toBeCloseTo(300 * (1 + HANKO_STALL_BUDGET.meanFactor), 0);
  });

  it('one answer that took seconds (the end of a hang) does not make the next hang wait seconds to be noticed', () => {
    const estimate = new HankoLatencyEstimate();
    for (let i = 0; i < 100; i++) estimate.sample(5);
    estimate.sample(4_000);
    // Counted as 2 × the 50 ms budget: the next budget is ~110 ms, not the ~4.5 s an uncapped sample would make.
    expect(estimate.stallAfterMs(5_000)).toBeLessThan(150);
  });

  it('jitter widens the budget; the first answer counts with half its time as variation', () => {
    const estimate = new HankoLatencyEstimate();
    estimate.sample(100);
    expect(estimate.stallAfterMs(5_000)).toBe(300);
    for (let i = 0; i < 20; i++) estimate.sample(i % 2 === 0 ? 20 : 180);
    expect(estimate.stallAfterMs(5_000)).toBeGreaterThan(300);
  });

  it('ignores samples that are not times', () => {
    const estimate = new HankoLatencyEstimate();
    estimate.sample(Number.NaN);
    estimate.sample(-5);
    expect(estimate.stallAfterMs(5_000)).toBe(HANKO_STALL_BUDGET.initialMs);
  });
});
