import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { HankoAuthConfig } from '../hanko-auth.config.js';
import { HankoConfigurationError } from '../errors/hanko-configuration.error.js';
import { boundedMark } from './hanko-revocation.policy.js';
import { HankoRevocationMarks, type HankoRevocationMark } from './hanko-revocation.marks.js';

/** What we use of a node-redis client; typed here so our .d.ts never names the optional peer. */
interface RedisConnection {
  readonly isReady: boolean;
  connect(): Promise<unknown>;
  on(event: 'error' | 'ready', listener: (...args: unknown[]) => void): unknown;
  sendCommand(args: string[]): Promise<unknown>;
  subscribe(channel: string, listener: (message: string) => void): Promise<unknown>;
  duplicate(): RedisConnection;
  destroy(): void;
}

/** Reconnect backoff (ms) while Redis is away: quick at first, never hammering. */
const reconnectDelay = (retries: number): number => Math.min(100 * (retries + 1), 2_000);
/** Marks per pub/sub message when a whole set is re-shared after an outage. */
const BATCH = 500;
/** How long a delivery's handlers wait for the fleet to say whether another instance already ran them. */
const CLAIM_WAIT_MS = 1_000;
/** How long boot waits for the fleet's marks, so a fresh instance does not start out ignorant of them. */
const BOOT_LOAD_MS = 2_000;

/**
 * Shares revocation marks with every instance through Redis, off the request path: a mark is
 * published (instances add it to their local marks) and added to a sorted set scored by its expiry
 * (what an instance loads when it starts or reconnects). Requests never wait on Redis.
 *
 * A Redis outage is logged once and degrades to local marks plus revocation polling: marks made
 * meanwhile stay local and are shared when Redis is back; nothing is ever refused or let in because
 * of Redis itself.
 */
@Injectable()
export class HankoRevocationFleet implements OnApplicationBootstrap, OnModuleDestroy {
  protected readonly logger = new Logger('HankoAuth');
  private publisher: RedisConnection | undefined;
  private subscriber: RedisConnection | undefined;
  private outage = false;
  /** Namespaced by Hanko instance, so apps of different Hanko projects can share one Redis. */
  private readonly key: string;

  constructor(
    private readonly config: HankoAuthConfig,
    private readonly marks: HankoRevocationMarks,
  ) {
    this.key = `nestjs-hanko-auth:revoked:${config.storeNamespace}`;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.webhooks === false || this.config.webhooks.redis === undefined) return;
    let createClient: (options: object) => RedisConnection;
    try {
      ({ createClient } = (await import('redis')) as unknown as { createClient: typeof createClient });
    } catch {
      throw new HankoConfigurationError('webhooks.redis', 'needs the optional peer dependency redis (npm install redis)');
    }
    // Commands fail at once while disconnected (no offline queue): a mark is never stuck behind an outage.
    const publisher = createClient({
      url: this.config.webhooks.redis.url,
      disableOfflineQueue: true,
      socket: { reconnectStrategy: reconnectDelay, connectTimeout: 5_000 },
    });
    const subscriber = publisher.duplicate();
    this.publisher = publisher;
    this.subscriber = subscriber;
    let loaded!: () => void;
    const firstLoad = new Promise<void>((resolve) => (loaded = resolve));
    for (const connection of [publisher, subscriber]) {
      connection.on('error', () => this.down());
      // Whichever reconnects last may have missed messages: reload from the set then.
      connection.on('ready', () => void this.synchronize().then((done) => done && loaded()));
    }
    // node-redis subscribes again after every reconnect by itself.
    void subscriber.subscribe(this.key, (message) => this.receive(message)).catch(() => this.down());
    // Not awaited: boot never waits on Redis (node-redis keeps retrying in the background).
    void publisher.connect().catch(() => this.down());
    void subscriber.connect().catch(() => this.down());
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([firstLoad, new Promise<void>((resolve) => (timer = setTimeout(resolve, BOOT_LOAD_MS)))]);
    clearTimeout(timer);
  }

  onModuleDestroy(): void {
    this.publisher?.destroy();
    this.subscriber?.destroy();
    this.publisher = this.subscriber = undefined;
  }

  /** Tells the fleet about a mark this instance made. Never throws, never waits for the request path. */
  share(mark: HankoRevocationMark): void {
    if (this.publisher?.isReady !== true) return; // shared by synchronize() once Redis is back
    void this.write([mark]).catch(() => this.down());
  }

  /**
   * Whether this instance is the first of the fleet to act on a delivery (its token's digest),
   * remembered until the token expires: a delivery replayed to another instance reaches no handler
   * twice. Without Redis, or when it is slow or down, every instance acts (at least once, never lost).
   */
  async claimDelivery(digest: string, expiresAtMs: number): Promise<boolean> {
    const publisher = this.publisher;
    if (publisher?.isReady !== true) return true;
    let timer: NodeJS.Timeout | undefined;
    const slow = new Promise<'slow'>((resolve) => (timer = setTimeout(() => resolve('slow'), CLAIM_WAIT_MS)));
    try {
      const command = ['SET', `${this.key}:delivery:${digest}`, '1', 'PXAT', String(Math.ceil(expiresAtMs)), 'NX'];
      const reply = await Promise.race([publisher.sendCommand(command), slow]);
      return reply !== null;
    } catch {
      return true;
    } finally {
      clearTimeout(timer);
    }
  }

  private async write(marks: HankoRevocationMark[]): Promise<void> {
    const publisher = this.publisher!;
    // A loop, not Math.max(...marks): spreading ~125k arguments throws, and a busy app reaches that.
    let longest = 0;
    for (const mark of marks) longest = Math.max(longest, mark.until);
    const messages: string[] = [];
    const additions: string[][] = [];
    for (let i = 0; i < marks.length; i += BATCH) {
      const batch = marks.slice(i, i + BATCH);
      messages.push(batch.map(encode).join('\n'));
      additions.push(['ZADD', this.key, ...batch.flatMap((mark) => [String(mark.until), encode(mark)])]);
    }
    // One pipeline, the messages first (what running instances wait for), then the set new ones load.
    // Expired marks leave the set here; the whole key goes when its longest mark would have (GT/NX: Redis 7).
    await Promise.all([
      ...messages.map((message) => publisher.sendCommand(['PUBLISH', this.key, message])),
      ...additions.map((command) => publisher.sendCommand(command)),
      publisher.sendCommand(['ZREMRANGEBYSCORE', this.key, '-inf', String(Date.now())]),
      publisher.sendCommand(['PEXPIREAT', this.key, String(Math.ceil(longest)), 'GT']),
      publisher.sendCommand(['PEXPIREAT', this.key, String(Math.ceil(longest)), 'NX']),
    ]);
  }

  /** On (re)connect: load the marks the fleet holds, then share the ones made here while Redis was away. */
  private async synchronize(): Promise<boolean> {
    if (this.publisher?.isReady !== true || this.subscriber?.isReady !== true) return false;
    try {
      const stored = await this.publisher.sendCommand(['ZRANGE', this.key, String(Date.now()), '+inf', 'BYSCORE']);
      if (Array.isArray(stored)) for (const member of stored) this.accept(String(member));
      const local = this.marks.live();
      if (local.length > 0) await this.write(local);
      if (this.outage) this.logger.log(`Redis is back: revocation marks are shared again (${this.marks.size} in force)`);
      this.outage = false;
      return true;
    } catch {
      this.down();
      return false;
    }
  }

  private receive(message: string): void {
    for (const member of message.split('\n')) this.accept(member);
  }

  private accept(member: string): void {
    const mark = decode(member);
    const webhooks = this.config.webhooks;
    if (mark === undefined || webhooks === false) return;
    this.marks.add(boundedMark(mark, { sessionLifespan: webhooks.sessionLifespan, clockTolerance: this.config.clockTolerance }));
  }

  private down(): void {
    // Once per outage: node-redis reports every failed reconnect attempt.
    if (this.outage) return;
    this.outage = true;
    this.logger.warn('Redis for revocation marks is unavailable: marks stay local to this instance until it is back');
  }
}

/** `s|<session id>|<until>` or `u|<user id>|<before>|<until>`; ids are Hanko UUIDs (no '|'). */
function encode(mark: HankoRevocationMark): string {
  return mark.kind === 'session' ? `s|${mark.id}|${mark.until}` : `u|${mark.id}|${mark.before}|${mark.until}`;
}

/** Whatever another instance (or anything with access to Redis) wrote: anything malformed is ignored. */
function decode(member: string): HankoRevocationMark | undefined {
  const parts = member.split('|');
  const number = (text: string | undefined) => (text !== undefined && /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN);
  if (parts[1] === undefined || parts[1] === '' || parts[1].length > 200) return undefined;
  if (parts[0] === 's' && parts.length === 3) {
    const until = number(parts[2]);
    return Number.isFinite(until) ? { kind: 'session', id: parts[1], until } : undefined;
  }
  if (parts[0] === 'u' && parts.length === 4) {
    const before = number(parts[2]);
    const until = number(parts[3]);
    return Number.isFinite(before) && Number.isFinite(until) ? { kind: 'user', id: parts[1], before, until } : undefined;
  }
  return undefined;
}
