import type { Logger } from '@nestjs/common';
import { HankoUpstreamUnavailable } from '../errors/hanko-refusal.reason.js';
import { HANKO_STALL_BUDGET } from '../hanko-auth.defaults.js';
import type { HankoLatencyEstimate } from './hanko-latency.estimate.js';
import { HankoStallWatch } from './hanko-stall.watch.js';

export interface HankoCircuitBreakerOptions {
  /** What is being called, for log lines and 503 details, e.g. "sessions/validate". */
  readonly name: string;
  /** Seconds between two probes while the breaker is open. */
  readonly probeInterval: number;
  /** Most calls in flight at once; further callers wait for a free slot, briefly. */
  readonly maxConcurrent: number;
  /** Failed calls in a row that open the breaker. */
  readonly failureThreshold: number;
  /** A call's own deadline (ms): nobody is asked to wait on a call longer than it can last. */
  readonly timeoutMs: number;
  /** Hanko's latency, learned from its answers (shared with the key fetches). */
  readonly latency: HankoLatencyEstimate;
}

/**
 * How a call failed (a HankoCallFailure's `kind`): Hanko down or overloaded (`outage`, the default),
 * Hanko answering with a refusal such as a 4xx (`refused`: that request fails, but Hanko is there),
 * or our own shutdown (`aborted`: says nothing about Hanko).
 */
export type HankoCallFailureKind = 'outage' | 'refused' | 'aborted';

/** What a failed call rejects with; `detail` is our own wording, safe to log. */
export interface HankoCallFailure {
  readonly detail?: unknown;
  readonly kind?: HankoCallFailureKind;
}

/** Callers waiting for a slot beyond this many get 503 at once (memory bound during a hang). */
const MAX_WAITING = 1_000;
/** Retry-After (s) for a caller refused while Hanko is slow, not known to be down. */
const BUSY_RETRY_AFTER = 1;
/** Distinct refusals warned about; beyond, they go to debug (a bound, not a case we expect). */
const MAX_REFUSALS_WARNED = 32;

interface Waiter {
  start(): void;
  fail(error: HankoUpstreamUnavailable): void;
}

/**
 * Keeps an outage of one Hanko endpoint from piling up, the way the key source treats its key
 * endpoint. After `failureThreshold` failed calls in a row the breaker opens: one probe per
 * interval goes out and everyone else gets a 503 with Retry-After at once, instead of each request
 * making its own call and waiting for the timeout. Any answer from Hanko closes it.
 *
 * A hang is caught before any call times out (HankoStallWatch): once no call has answered for a few
 * times Hanko's usual latency, no new call goes out and everyone waiting on a call they did not make
 * is released with a 503; the calls already out are the probes. A slow Hanko that keeps answering is
 * no stall: its answers move the queue along, and a waiter gives up only after max(budget, 1 s).
 * One warning per outage (a stall that lasts, or the breaker opening), one line when it ends.
 */
export class HankoCircuitBreaker {
  private readonly stall: HankoStallWatch;
  private inFlight = 0;
  private open = false;
  private probing = false;
  private failuresInARow = 0;
  /** While open: no probe before this time (ms). */
  private nextProbeAt = 0;
  private warnedOutage = false;
  private readonly warnedRefusals = new Set<string>();
  private readonly waiting: Waiter[] = [];

  constructor(
    private readonly options: HankoCircuitBreakerOptions,
    private readonly logger: Logger,
  ) {
    this.stall = new HankoStallWatch(() => this.stallAfterMs(), {
      stalled: (openCalls, silentMs, released) => {
        const waiters = this.waiting.splice(0);
        for (const waiter of waiters) waiter.fail(this.busy('not answering'));
        this.logger.debug(
          `Hanko's ${options.name} has not answered for ${silentMs} ms (${plural(openCalls, 'call')} open); ` +
            `${plural(waiters.length + released, 'waiting request')} released, 503 until it answers`,
        );
      },
      lasting: (openCalls, silentMs) => {
        if (this.warnedOutage) return;
        this.warnedOutage = true;
        this.logger.warn(
          `Hanko's ${options.name} has not answered for ${silentMs} ms (${plural(openCalls, 'call')} open); ` +
            'sessions without a cached answer get 503 until it does',
        );
      },
    });
  }

  /** How long (ms) without any answer before Hanko counts as stalled. */
  stallAfterMs(): number {
    return this.options.latency.stallAfterMs(this.options.timeoutMs);
  }

  /** How long a caller may wait behind calls that keep answering: never less than 1 s. */
  longestWaitMs(): number {
    return Math.max(this.stallAfterMs(), HANKO_STALL_BUDGET.initialMs);
  }

  isStalled(): boolean {
    return this.stall.stalled;
  }

  /** Calls `release` if Hanko stalls before the returned function is called (for a caller sharing another's call). */
  onStall(release: () => void): () => void {
    return this.stall.onStall(release);
  }

  /**
   * Runs `call` when it may go out. When the breaker is open, Hanko has stalled or too many callers
   * wait, throws HankoUpstreamUnavailable synchronously, so a caller with nothing else to wait on
   * answers without a promise. `call` rejects with a HankoCallFailure.
   */
  run<T>(call: () => Promise<T>): Promise<T> {
    if (this.open) {
      if (this.probing || Date.now() < this.nextProbeAt) throw this.unavailable();
      this.probing = true;
      return this.send(call, true);
    }
    if (this.stall.stalled) throw this.busy('not answering');
    if (this.inFlight < this.options.maxConcurrent) return this.send(call, false);
    if (this.waiting.length >= MAX_WAITING) throw this.busy(`busy: ${this.options.maxConcurrent} calls in flight`);
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter = {
        start: () => {
          clearTimeout(timer);
          this.send(call, false).then(resolve, reject);
        },
        fail: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      // A stall releases every waiter at once; this bounds the wait behind a slow queue.
      const timer = setTimeout(() => {
        this.waiting.splice(this.waiting.indexOf(waiter), 1);
        reject(this.busy(`busy: ${this.options.maxConcurrent} calls in flight`));
      }, this.longestWaitMs());
      this.waiting.push(waiter);
    });
  }

  private send<T>(call: () => Promise<T>, probe: boolean): Promise<T> {
    this.inFlight++;
    this.stall.started();
    return call().then(
      (value) => {
        this.answered(probe);
        return value;
      },
      (error: unknown) => {
        const failure = error as HankoCallFailure | undefined;
        const wording = typeof failure?.detail === 'string' ? failure.detail : 'request failed';
        if (failure?.kind === 'refused') {
          // Hanko answered (e.g. 404 for a wrong apiUrl path): this request can't be checked, but
          // Hanko is there and nothing piles up.
          this.answered(probe);
          this.warnRefusal(wording);
        } else {
          this.inFlight--;
          this.stall.failed();
          if (failure?.kind !== 'aborted') this.failed(wording);
          this.settled(probe);
        }
        throw new HankoUpstreamUnavailable(`${this.options.name} ${wording}`, this.open ? this.retryAfter() : BUSY_RETRY_AFTER);
      },
    );
  }

  private answered(probe: boolean): void {
    this.inFlight--;
    this.stall.answered();
    if (this.warnedOutage) this.logger.log(`Hanko ${this.options.name} works again`);
    this.warnedOutage = false;
    this.open = false;
    this.failuresInARow = 0;
    this.settled(probe);
  }

  private failed(wording: string): void {
    this.failuresInARow++;
    if (this.open) {
      this.logger.debug(`Hanko's ${this.options.name} still failing: ${wording}`);
    } else if (this.failuresInARow >= this.options.failureThreshold) {
      this.open = true;
      const message =
        `Asking Hanko's ${this.options.name} failed ${this.failuresInARow} times in a row (last: ${wording}); ` +
        `one probe per ${this.options.probeInterval} s until it answers`;
      if (this.warnedOutage) this.logger.debug(message);
      else this.logger.warn(message);
      this.warnedOutage = true;
    } else {
      this.logger.debug(`Asking Hanko's ${this.options.name} failed (${this.failuresInARow} in a row): ${wording}`);
    }
    if (this.open) this.nextProbeAt = Date.now() + this.options.probeInterval * 1000;
  }

  private warnRefusal(wording: string): void {
    if (this.warnedRefusals.has(wording) || this.warnedRefusals.size >= MAX_REFUSALS_WARNED) {
      this.logger.debug(`Hanko's ${this.options.name} refused a check: ${wording}`);
      return;
    }
    this.warnedRefusals.add(wording);
    this.logger.warn(`Hanko's ${this.options.name} refused a check: ${wording}`);
  }

  /** A slot is free: the next waiter goes, or, once the breaker is open, every waiter gets 503 now. */
  private settled(probe: boolean): void {
    if (probe) this.probing = false;
    if (this.open) {
      for (const waiter of this.waiting.splice(0)) waiter.fail(this.unavailable());
    } else if (this.inFlight < this.options.maxConcurrent && !this.stall.stalled) {
      this.waiting.shift()?.start();
    }
  }

  private unavailable(): HankoUpstreamUnavailable {
    return new HankoUpstreamUnavailable(`${this.options.name} failing; waiting for the next probe`, this.retryAfter());
  }

  private busy(detail: string): HankoUpstreamUnavailable {
    return new HankoUpstreamUnavailable(`${this.options.name} ${detail}`, BUSY_RETRY_AFTER);
  }

  /** Seconds until the next probe may go out (at least 1). */
  private retryAfter(): number {
    return Math.max(1, Math.ceil((this.nextProbeAt - Date.now()) / 1000));
  }
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
