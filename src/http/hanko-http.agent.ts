import http from 'node:http';
import https from 'node:https';
import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { HankoAuthConfig } from '../hanko-auth.config.js';
import { HankoLatencyEstimate } from './hanko-latency.estimate.js';

/**
 * Idle sockets are closed after this long (ms): under the idle timeouts of common servers and
 * proxies (Go's and nginx's are longer), so we never send a request down a socket the other side
 * is closing. undici uses the same default.
 */
const IDLE_SOCKET_MS = 4_000;

/**
 * The HTTP(S) agent for every call to Hanko: keep-alive, so a revocation check costs a request
 * rather than a TCP and TLS handshake; idle sockets are unref'd by Node (they never keep the
 * process alive) and destroyed with the module, so no socket of ours outlives `app.close()`.
 * An app's own `keys.agent` is used as is and left to the app to close.
 */
@Injectable()
export class HankoHttpAgent implements OnModuleDestroy {
  readonly agent: http.Agent;
  /** How fast Hanko answers over these connections: key fetches seed it before the first session check. */
  readonly latency = new HankoLatencyEstimate();
  private readonly owned: boolean;

  constructor(config: HankoAuthConfig) {
    this.owned = config.keys.agent === undefined;
    const options = { keepAlive: true, timeout: IDLE_SOCKET_MS };
    this.agent = config.keys.agent ?? (new URL(config.apiUrl).protocol === 'https:' ? new https.Agent(options) : new http.Agent(options));
  }

  onModuleDestroy(): void {
    if (this.owned) this.agent.destroy();
  }
}
