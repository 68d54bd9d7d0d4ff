import type { Logger } from '@nestjs/common';
import { HankoUpstreamUnavailable } from '../errors/hanko-refusal.reason.js';

export interface HankoCircuitBreakerOptions {
  /** What is being called, for log lines and 503 details, e.g. "sessions/validate". */
  readonly name: string;
  /** Seconds between two probes while the endpoint is failing. */
  readonly probeInterval: number;
  /** Most calls in flight at once; further callers wait for a free slot, briefly. */
  readonly maxConcurrent: number;
  /** Longest wait (ms) for a free slot: a healthy endpoint frees one in milliseconds. */
  readonly maxWaitMs: number;
}

/** Callers waiting for a slot beyond this many get 503 at once (memory bound during a hang). */
const MAX_WAITING = 1_000;
/** Retry-After (s) for a caller that found no free slot: the endpoint is slow, not known to be down. */
const BUSY_RETRY_AFTER = 1;

interface Waiter {
  start(): void;
  fail(error: HankoUpstreamUnavailable): void;
}

/**
 * Keeps an outage of one Hanko endpoint from piling up, the way the key source treats its key
 * endpoint: after a failure, one probe per interval goes out and everyone else gets a 503 with
 * Retry-After at once, instead of each request making its own call and waiting for the timeout;
 * a warning once per outage, not per request. Calls in flight are bounded, and nobody waits more
 * than `maxWaitMs` for a slot, so a Hanko that starts hanging holds at most `maxConcurrent`
 * requests until the first timeout tells us, while a healthy one absorbs bursts through the queue.
 */
export class HankoCircuitBreaker {
  private inFlight = 0;
  private failing = false;
  private probing = false;
  /** While failing: no probe before this time (ms). */
  private nextProbeAt = 0;
  /** When a call last settled, or one started with none in flight: calls that stop settling mean a hang. */
  private lastProgressAt = 0;
  private readonly waiting: Waiter[] = [];

  constructor(
    private readonly options: HankoCircuitBreakerOptions,
    private readonly logger: Logger,
  ) {}

  /**
   * Runs `call` when it may go out. When the endpoint is failing (or too many callers wait), throws
   * HankoUpstreamUnavailable synchronously, so a caller with nothing else to wait on answers without
   * a promise. `call` rejects with an Error whose `detail` (our own wording, safe to log) says what failed.
   */
  run<T>(call: () => Promise<T>): Promise<T> {
    if (this.failing) {
      if (this.probing || Date.now() < this.nextProbeAt) throw this.unavailable('failing; waiting for the next probe');
      this.probing = true;
      return this.send(call, true);
    }
    if (this.inFlight < this.options.maxConcurrent) return this.send(call, false);
    // Every slot taken and nothing settled for maxWaitMs: the endpoint is probably hanging. Waiting
    // would only make this request slow before its 503 (until the first timeout opens the breaker).
    if (this.waiting.length >= MAX_WAITING || Date.now() - this.lastProgressAt >= this.options.maxWaitMs) throw this.busy();
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
      const timer = setTimeout(() => {
        this.waiting.splice(this.waiting.indexOf(waiter), 1);
        reject(this.busy());
      }, this.options.maxWaitMs);
      this.waiting.push(waiter);
    });
  }

  private send<T>(call: () => Promise<T>, probe: boolean): Promise<T> {
    if (this.inFlight++ === 0) this.lastProgressAt = Date.now();
    return call().then(
      (value) => {
        if (this.failing) this.logger.log(`Hanko ${this.options.name} works again`);
        this.failing = false;
        this.settle(probe);
        return value;
      },
      (error: unknown) => {
        const detail = (error as { detail?: unknown } | undefined)?.detail;
        const wording = typeof detail === 'string' ? detail : 'request failed';
        if (!this.failing) {
          this.logger.warn(
            `Asking Hanko's ${this.options.name} failed: ${wording}; one probe per ${this.options.probeInterval} s until it answers`,
          );
        } else {
          this.logger.debug(`Hanko's ${this.options.name} still failing: ${wording}`);
        }
        this.failing = true;
        this.nextProbeAt = Date.now() + this.options.probeInterval * 1000;
        this.settle(probe);
        throw new HankoUpstreamUnavailable(`${this.options.name} ${wording}`, this.retryAfter());
      },
    );
  }

  /** A slot is free: the next waiter goes, or, once the endpoint is failing, every waiter gets 503 now. */
  private settle(probe: boolean): void {
    this.inFlight--;
    this.lastProgressAt = Date.now();
    if (probe) this.probing = false;
    if (this.failing) {
      for (const waiter of this.waiting.splice(0)) waiter.fail(this.unavailable('failing; waiting for the next probe'));
    } else if (this.inFlight < this.options.maxConcurrent) {
      this.waiting.shift()?.start();
    }
  }

  private unavailable(detail: string): HankoUpstreamUnavailable {
    return new HankoUpstreamUnavailable(`${this.options.name} ${detail}`, this.retryAfter());
  }

  private busy(): HankoUpstreamUnavailable {
    return new HankoUpstreamUnavailable(`${this.options.name} busy: ${this.options.maxConcurrent} calls in flight`, BUSY_RETRY_AFTER);
  }

  /** Seconds until the next probe may go out (at least 1). */
  private retryAfter(): number {
    return Math.max(1, Math.ceil((this.nextProbeAt - Date.now()) / 1000));
  }
}
