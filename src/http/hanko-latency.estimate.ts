import { HANKO_STALL_BUDGET } from '../hanko-auth.defaults.js';

/**
 * How long Hanko usually takes to answer, learned from its answers (key fetches and session checks
 * alike: same host, same connections), and from that how long a request may wait on a call before
 * the call counts as stalled. The smoothing is TCP's retransmission timer (RFC 6298 §2), for the
 * same reason: a budget that follows the endpoint's own latency and jitter, so a Hanko that is
 * always 300 ms away is not mistaken for a hanging one, while a Hanko that answers in 5 ms is known
 * to hang after 50.
 */
export class HankoLatencyEstimate {
  private smoothed: number | undefined;
  private variation = 0;

  /** One answer's time in ms (an answer of any status: it tells how far away Hanko is). */
  sample(ms: number): void {
    if (!(ms >= 0)) return;
    if (this.smoothed === undefined) {
      this.smoothed = ms;
      this.variation = ms / 2;
      return;
    }
    // One answer that took seconds (the end of a hang) must not make the next hang wait seconds
    // before it is noticed: a sample counts for at most twice the budget it is measured against.
    const counted = Math.min(ms, 2 * this.budget(this.smoothed));
    this.variation = 0.75 * this.variation + 0.25 * Math.abs(this.smoothed - counted);
    this.smoothed = 0.875 * this.smoothed + 0.125 * counted;
  }

  /**
   * Ms after which a call still open counts as stalled, within [floor, ceilingMs]. Before the first
   * answer nothing is known about the path to Hanko, so the budget is the cautious `initialMs`.
   */
  stallAfterMs(ceilingMs: number): number {
    const estimate = this.smoothed === undefined ? HANKO_STALL_BUDGET.initialMs : this.budget(this.smoothed);
    return Math.min(ceilingMs, estimate);
  }

  /**
   * srtt + 4 × rttvar as RFC 6298 has it, but never less than twice the mean on top: on a steady
   * Hanko the variation shrinks towards 0, and ordinary jitter would then count as a stall.
   */
  private budget(smoothed: number): number {
    return Math.max(HANKO_STALL_BUDGET.floorMs, smoothed + Math.max(4 * this.variation, HANKO_STALL_BUDGET.meanFactor * smoothed));
  }
}
