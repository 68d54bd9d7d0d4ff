import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { HankoAuthConfig } from '../hanko-auth.config.js';
import { HANKO_EVENT_KEY, type HankoEventHandler } from './hanko-event.decorator.js';
import { eventMatches, type HankoEvent, type HankoEventPrefix } from './hanko-webhook.events.js';

interface Subscription {
  readonly prefixes: readonly string[];
  readonly handle: (event: HankoEvent) => unknown;
  /** `Class.method`, for log lines. */
  readonly name: string;
}

/**
 * Hands verified Hanko events to the app: @OnHankoEvent() methods found at bootstrap through Nest's
 * DiscoveryService, plus handlers registered with `on()`. Inject it to subscribe programmatically.
 */
@Injectable()
export class HankoWebhookDispatcher implements OnModuleInit {
  protected readonly logger = new Logger('HankoAuth');
  private readonly subscriptions: Subscription[] = [];

  constructor(
    private readonly config: HankoAuthConfig,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    if (this.config.webhooks === false) return;
    for (const wrapper of [...this.discovery.getProviders(), ...this.discovery.getControllers()]) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      // Request-scoped and not-yet-built providers have no instance to call.
      if (instance === null || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const handler = instance[method];
        if (typeof handler !== 'function') continue;
        const prefixes = this.reflector.get<string[] | undefined>(HANKO_EVENT_KEY, handler as () => unknown);
        if (prefixes === undefined) continue;
        this.subscriptions.push({
          prefixes,
          handle: (event) => (handler as (event: HankoEvent) => unknown).call(instance, event),
          name: `${instance.constructor.name}.${method}`,
        });
      }
    }
  }

  /** Subscribes `handler` to every event matching one of `prefixes`; returns the unsubscribe function. */
  on<P extends HankoEventPrefix>(prefixes: P | [P, ...P[]], handler: HankoEventHandler<P>, name = 'handler'): () => void {
    const subscription: Subscription = {
      prefixes: Array.isArray(prefixes) ? [...prefixes] : [prefixes],
      handle: handler as (event: HankoEvent) => unknown,
      name,
    };
    this.subscriptions.push(subscription);
    return () => {
      const index = this.subscriptions.indexOf(subscription);
      if (index >= 0) this.subscriptions.splice(index, 1);
    };
  }

  /** Runs every matching handler, concurrently; never rejects. Errors are logged by handler and event, never with the payload. */
  async dispatch(event: HankoEvent): Promise<void> {
    const matching = this.subscriptions.filter((s) => s.prefixes.some((prefix) => eventMatches(event.event, prefix)));
    await Promise.all(
      matching.map(async (subscription) => {
        try {
          await subscription.handle(event);
        } catch (error) {
          // The error's message may quote the payload (an email address, a user id): name only.
          const kind = error instanceof Error ? error.name : typeof error;
          this.logger.error(`Hanko event handler ${subscription.name} failed on ${event.event} (${kind})`);
        }
      }),
    );
  }
}
