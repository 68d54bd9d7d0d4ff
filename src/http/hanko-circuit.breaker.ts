import type { Logger } from '@nestjs/common';
import { HankoUpstreamUnavailable } from '../errors/hanko-refusal.reason.js';
import { HANKO_STALL_BUDGET } from '../hanko-auth.defaults.js';
import { HankoLatencyEstimate } from './hanko-latency.estimate.js';

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
}

/**
 * What a failed call rejects with. `detail` is our own wording, safe to log; `outage: false` says the
 * endpoint did answer, with a refusal (a 4xx): that request fails, but the endpoint is not down.
 */
export interface HankoCallFailure {
  readonly detail?: unknown;
  readonly outage?: unknown;
}

/** Callers waiting for a slot beyond this many get 503 at once (memory bound during a hang). */
const MAX_WAITING = 1_000;
/** Retry-After (s) for a caller refused while the endpoint is slow, not known to be down. */
const BUSY_RETRY_AFTER = 1;

interface Waiter {
  start(): void;
  fail(error: HankoUpstreamUnavailable): void;
}

/**
 * Keeps an outage of one Hanko endpoint from piling up, the way the key source treats its key
 * endpoint. After `failureThreshold` failed calls in a row the breaker opens: one probe per
 * interval goes out and everyone else gets a 503 with Retry-After at once, instead of each request
 * making its own call and waiting for the timeout; a warning once per outage, not per request.
 *
 * A hang is caught before any call times out: once no call has settled for the stall budget (a few
 * times Hanko's usual latency, learned from its answers), no new call goes out and everyone waiting
 * on a call they did not make is released with a 503; the calls already out are the probes, and
 * the first answer ends the stall. A slow Hanko that keeps answering is no stall: its answers move
 * the queue along, and a waiter gives up only after max(budget, 1 s).
 */
export class HankoCircuitBreaker {
  readonly latency = new HankoLatencyEstimate();
  private inFlight = 0;
  private open = false;
  private probing = false;
  private failuresInARow = 0;
  /** While open: no probe before this time (ms). */
  private nextProbeAt = 0;
  /** When a call last settled, or one started with none in flight: calls that stop settling mean a hang. */
  private lastProgressAt = 0;
  /** The refusal (4xx) last warned about, so a misconfiguration is logged once, not per request. */
  private warnedRefusal: string | undefined;
  /** A stall or an open breaker was warned about: one warning per outage, and one line when it ends. */
  private warnedOutage = false;
  private stallTimer: NodeJS.Timeout | undefined;
  /** No call has answered within the budget (confirmed after pending I/O had its turn); cleared by any answer. */
  private stalled = false;
  private stallSignal: { readonly promise: Promise<never>; readonly reject: (error: HankoUpstreamUnavailable) => void } | undefined;
  private readonly waiting: Waiter[] = [];

  constructor(
    private readonly options: HankoCircuitBreakerOptions,
    private readonly logger: Logger,
  ) {}

  /** How long (ms) a caller may wait on a call it did not make: beyond this the call counts as stalled. */
  stallAfterMs(): number {
    return this.latency.stallAfterMs(this.options.timeoutMs);
  }

  /** Whether calls are open and none has answered within the stall budget. */
  isStalled(): boolean {
    return this.stalled;
  }

  /** Rejects when the endpoint stalls: waiting on a call beyond that only makes the 503 slower. */
  whenStalled(): Promise<never> {
    if (this.stallSignal === undefined) {
      let reject!: (error: HankoUpstreamUnavailable) => void;
      const promise = new Promise<never>((_, fail) => (reject = fail));
      promise.catch(() => undefined);
      this.stallSignal = { promise, reject };
    }
    return this.stallSignal.promise;
  }

  /**
   * Runs `call` when it may go out. When the breaker is open, the endpoint has stalled or too many
   * callers wait, throws HankoUpstreamUnavailable synchronously, so a caller with nothing else to
   * wait on answers without a promise. `call` rejects with a HankoCallFailure.
   */
  run<T>(call: () => Promise<T>): Promise<T> {
    if (this.open) {
      if (this.probing || Date.now() < this.nextProbeAt) throw this.unavailable('failing; waiting for the next probe');
      this.probing = true;
      return this.send(call, true);
    }
    if (this.isStalled()) throw this.busy('not answering');
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
      // A stall releases every waiter at once (onStall); this bounds the wait behind a slow queue.
      const timer = setTimeout(() => {
        this.waiting.splice(this.waiting.indexOf(waiter), 1);
        reject(this.busy(`busy: ${this.options.maxConcurrent} calls in flight`));
      }, this.longestWaitMs());
      this.waiting.push(waiter);
    });
  }

  /** How long a caller may wait behind calls that keep settling: never less than the old fixed second. */
  longestWaitMs(): number {
    return Math.max(this.stallAfterMs(), HANKO_STALL_BUDGET.initialMs);
  }

  private send<T>(call: () => Promise<T>, probe: boolean): Promise<T> {
    const startedAt = Date.now();
    if (this.inFlight++ === 0) {
      this.lastProgressAt = startedAt;
      this.watch();
    }
    return call().then(
      (value) => {
        this.latency.sample(Date.now() - startedAt);
        if (this.warnedOutage) this.logger.log(`Hanko ${this.options.name} works again`);
        this.warnedOutage = false;
        this.open = false;
        this.failuresInARow = 0;
        this.warnedRefusal = undefined;
        this.settle(probe);
        return value;
      },
      (error: unknown) => {
        const failure = error as HankoCallFailure | undefined;
        const wording = typeof failure?.detail === 'string' ? failure.detail : 'request failed';
        if (failure?.outage === false) {
          // Hanko answered (e.g. 404 for a wrong apiUrl path): this request can't be checked, but
          // nothing piles up, so the breaker neither opens nor closes on it.
          this.latency.sample(Date.now() - startedAt);
          if (this.warnedRefusal !== wording) this.logger.warn(`Hanko's ${this.options.name} refused a check: ${wording}`);
          this.warnedRefusal = wording;
        } else {
          this.failed(wording);
        }
        this.settle(probe);
        throw new HankoUpstreamUnavailable(`${this.options.name} ${wording}`, this.open ? this.retryAfter() : BUSY_RETRY_AFTER);
      },
    );
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

  /** A slot is free: the next waiter goes, or, once the breaker is open, every waiter gets 503 now. */
  private settle(probe: boolean): void {
    this.inFlight--;
    this.lastProgressAt = Date.now();
    this.stalled = false;
    this.watch();
    if (probe) this.probing = false;
    if (this.open) {
      for (const waiter of this.waiting.splice(0)) waiter.fail(this.unavailable('failing; waiting for the next probe'));
    } else if (this.inFlight < this.options.maxConcurrent) {
      this.waiting.shift()?.start();
    }
  }

  /** Arms the stall watch for the calls in flight: it fires once the budget passes without an answer. */
  private watch(): void {
    clearTimeout(this.stallTimer);
    this.stallTimer = undefined;
    if (this.inFlight === 0) return;
    // Decided only after the poll phase (setImmediate): if our own event loop was blocked past the
    // budget, answers that arrived meanwhile are read first, and a busy app is not taken for a hang.
    const timer = setTimeout(
      () => setImmediate(() => this.stallTimer === timer && this.onStall()),
      Math.max(0, this.lastProgressAt + this.stallAfterMs() - Date.now()),
    );
    this.stallTimer = timer;
    // A watch never keeps the process alive; the calls it watches have their own deadline.
    this.stallTimer.unref();
  }

  private onStall(): void {
    this.stallTimer = undefined;
    if (this.inFlight === 0 || this.stalled) return;
    // The budget may have grown since the watch was armed (a slow answer was learned meanwhile).
    if (Date.now() - this.lastProgressAt < this.stallAfterMs()) return this.watch();
    this.stalled = true;
    if (!this.warnedOutage) {
      const open = `${this.inFlight} call${this.inFlight === 1 ? '' : 's'} open`;
      this.logger.warn(
        `Hanko's ${this.options.name} has not answered for ${Date.now() - this.lastProgressAt} ms (${open}); ` +
          'sessions without a cached answer get 503 until it does',
      );
      this.warnedOutage = true;
    }
    const error = this.busy('not answering');
    for (const waiter of this.waiting.splice(0)) waiter.fail(error);
    const signal = this.stallSignal;
    this.stallSignal = undefined;
    signal?.reject(error);
  }

  private unavailable(detail: string): HankoUpstreamUnavailable {
    return new HankoUpstreamUnavailable(`${this.options.name} ${detail}`, this.retryAfter());
  }

  private busy(detail: string): HankoUpstreamUnavailable {
    return new HankoUpstreamUnavailable(`${this.options.name} ${detail}`, BUSY_RETRY_AFTER);
  }

  /** Seconds until the next probe may go out (at least 1). */
  private retryAfter(): number {
    return Math.max(1, Math.ceil((this.nextProbeAt - Date.now()) / 1000));
  }
}
