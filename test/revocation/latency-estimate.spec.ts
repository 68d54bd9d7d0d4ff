import { describe, expect, it } from '@jest/globals';
import { HANKO_STALL_BUDGET } from '../../src/hanko-auth.defaults.js';
import { HankoLatencyEstimate } from '../../src/http/hanko-latency.estimate.js';

/** The stall budget follows Hanko's own latency and jitter (RFC 6298's srtt + 4 × rttvar), within bounds. */
describe('HankoLatencyEstimate', () => {
  it('before any answer the budget is the cautious initial one, capped by the call timeout', () => {
    const estimate = new HankoLatencyEstimate();
    expect(estimate.stallAfterMs(5_000)).toBe(HANKO_STALL_BUDGET.initialMs);
    expect(estimate.stallAfterMs(300)).toBe(300);
  });

  it('a fast, steady Hanko gets the floor; a slow one a budget above its latency', () => {
    const fast = new HankoLatencyEstimate();
    for (let i = 0; i < 20; i++) fast.sample(3);
    expect(fast.stallAfterMs(5_000)).toBe(HANKO_STALL_BUDGET.floorMs);
    const slow = new HankoLatencyEstimate();
    for (let i = 0; i < 20; i++) slow.sample(300);
    const budget = slow.stallAfterMs(5_000);
    expect(budget).toBeGreaterThan(300);
    expect(budget).toBeLessThan(400);
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
