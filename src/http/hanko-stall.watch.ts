import { HANKO_STALL_BUDGET } from '../hanko-auth.defaults.js';

export interface HankoStallEvents {
  /** No call has answered within the budget: whoever waits on a call they did not make was released. */
  stalled(openCalls: number, silentMs: number, released: number): void;
  /** The stall has lasted warnAfterMs: an outage, not a hiccup. */
  lasting(openCalls: number, silentMs: number): void;
}

/**
 * Tells a hang from a slow answer by the absence of answers: calls are open and none has answered
 * for the stall budget. A failed call (a timeout) is no answer, so it does not end the stall while
 * other calls are still open; once none is open, the next call may go out (it is the probe).
 */
export class HankoStallWatch {
  private openCalls = 0;
  private lastAnswerAt = 0;
  private stalledNow = false;
  private timer: NodeJS.Timeout | undefined;
  /** Whoever waits on a call they did not make, to be released at a stall (each removes itself when done). */
  private readonly waiting = new Set<() => void>();

  constructor(
    private readonly budgetMs: () => number,
    private readonly events: HankoStallEvents,
  ) {}

  get stalled(): boolean {
    return this.stalledNow;
  }

  started(): void {
    if (this.openCalls++ > 0) return;
    this.lastAnswerAt = Date.now();
    this.arm();
  }

  /** A call settled with an answer from Hanko (whatever its status): Hanko is there. */
  answered(): void {
    this.openCalls--;
    this.lastAnswerAt = Date.now();
    this.stalledNow = false;
    this.arm();
  }

  /** A call settled without an answer (timeout, connection error, abort). */
  failed(): void {
    if (--this.openCalls === 0) this.stalledNow = false;
    this.arm();
  }

  /** Calls `release` if the endpoint stalls before the returned function is called. */
  onStall(release: () => void): () => void {
    this.waiting.add(release);
    return () => this.waiting.delete(release);
  }

  /** Arms the timer for the next decision: the stall (budget) or, once stalled, the warning (warnAfterMs). */
  private arm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.openCalls === 0) return;
    const after = this.stalledNow ? Math.max(this.budgetMs(), HANKO_STALL_BUDGET.warnAfterMs) : this.budgetMs();
    // Decided after the poll phase (setImmediate): if our own event loop was blocked past the budget,
    // answers that arrived meanwhile are read first, and a busy app is not taken for a hanging Hanko.
    const timer = setTimeout(
      () => setImmediate(() => this.timer === timer && this.decide()),
      Math.max(0, this.lastAnswerAt + after - Date.now()),
    );
    // Never keeps the process alive; the calls it watches have their own deadline.
    timer.unref();
    this.timer = timer;
  }

  private decide(): void {
    this.timer = undefined;
    const silentMs = Date.now() - this.lastAnswerAt;
    if (this.openCalls === 0) return;
    if (this.stalledNow) {
      if (silentMs >= HANKO_STALL_BUDGET.warnAfterMs) return this.events.lasting(this.openCalls, silentMs);
      return this.arm();
    }
    // The budget may have grown since the timer was armed (a slow answer was learned meanwhile).
    if (silentMs < this.budgetMs()) return this.arm();
    this.stalledNow = true;
    const released = [...this.waiting];
    this.waiting.clear();
    for (const release of released) release();
    this.events.stalled(this.openCalls, silentMs, released.length);
    this.arm();
  }
}
