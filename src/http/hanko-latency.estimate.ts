import { HANKO_STALL_BUDGET } from '../hanko-auth.defaults.js';

/**
 * How long one Hanko endpoint usually takes to answer, learned from its answers, and from that how
 * long a request may wait on a call before the call counts as stalled. The smoothing is TCP's
 * retransmission timer (RFC 6298 §2: srtt + 4 × rttvar), for the same reason: a budget that
 * follows the endpoint's own latency and jitter, so a Hanko that is always 300 ms away is not
 * mistaken for a hanging one, while a Hanko that answers in 5 ms is known to hang after 50.
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
    this.variation = 0.75 * this.variation + 0.25 * Math.abs(this.smoothed - ms);
    this.smoothed = 0.875 * this.smoothed + 0.125 * ms;
  }

  /**
   * Ms after which a call still open counts as stalled, within [floor, ceilingMs]. Before the first
   * answer nothing is known about the path to Hanko, so the budget is the cautious `initialMs`.
   */
  stallAfterMs(ceilingMs: number): number {
    const { floorMs, initialMs } = HANKO_STALL_BUDGET;
    const estimate = this.smoothed === undefined ? initialMs : this.smoothed + 4 * this.variation;
    return Math.min(ceilingMs, Math.max(floorMs, estimate));
  }
}
