import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Injectable, Module, type ExecutionContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { WsAdapter } from '@nestjs/platform-ws';
import { SubscribeMessage, WebSocketGateway, type OnGatewayInit } from '@nestjs/websockets';
import type { Namespace, Socket as ServerSocket } from 'socket.io';
import { io, type Socket } from 'socket.io-client';
import { WebSocket } from 'ws';
import { CurrentUser, HankoAuthModule, HankoGuard, type HankoAuthOptions } from '../../src/index.js';
import type { HankoRequest } from '../../src/context/hanko-request.context.js';
import { HankoTestIssuer } from '../../src/testing/index.js';
import { ADAPTERS, startApp, type StartedApp } from '../support/app.factory.js';
import { EventsGateway, StrictGateway, WsStrictGateway } from '../support/test.gateways.js';

const EVIL = 'https://evil.example';
const PARTNER = 'https://partner.example';

/** A guard that also takes the token from the handshake's query (`?session=`), e.g. for a client that cannot set headers. */
@Injectable()
class QueryTokenGuard extends HankoGuard {
  private readonly requests = new WeakMap<object, HankoRequest>();

  protected override getRequest(context: ExecutionContext): HankoRequest | undefined {
    const socket = context.getType() === 'ws' ? context.switchToWs().getClient<ServerSocket>() : undefined;
    const session = socket?.handshake?.query?.session;
    if (socket === undefined || typeof session !== 'string') return super.getRequest(context);
    let request = this.requests.get(socket);
    if (request === undefined) this.requests.set(socket, (request = { headers: { authorization: `Bearer ${session}` } }));
    return request;
  }
}

@WebSocketGateway({ namespace: 'query' })
class QueryTokenGateway implements OnGatewayInit {
  constructor(private readonly guard: QueryTokenGuard) {}

  afterInit(namespace: Namespace) {
    namespace.use(
      (socket, next) =>
        void this.guard.authenticateConnection(socket).then((user) => {
          (socket.data as { userId?: string }).userId = user.id;
          next();
        }, next),
    );
  }

  @SubscribeMessage('whoami')
  whoami(@CurrentUser('id') id: string | undefined) {
    return { id: id ?? null };
  }
}

@Module({ providers: [EventsGateway, StrictGateway, QueryTokenGateway, QueryTokenGuard] })
class GatewaysModule {}

@Module({ providers: [WsStrictGateway] })
class WsGatewaysModule {}

let issuer: HankoTestIssuer;
beforeAll(async () => {
  issuer = await HankoTestIssuer.start({ modulusLength: 2048 });
});
afterAll(() => issuer.close());

const hankoModule = (extra: Partial<HankoAuthOptions> = {}) =>
  HankoAuthModule.forRoot({ apiUrl: issuer.apiUrl, audience: 'localhost', ...extra });

describe.each(ADAPTERS)('socket.io handshakes over %s', (adapter) => {
  let app: StartedApp;
  let partnerApp: StartedApp;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    app = await startApp(adapter, [hankoModule(), GatewaysModule], []);
    // Two apps at once in one process: Passport's one strategy table needs a name for each.
    partnerApp = await startApp(
      adapter,
      [hankoModule({ websocket: { allowedOrigins: [PARTNER] }, strategyName: 'hanko-partner' }), GatewaysModule],
      [],
    );
  });
  afterEach(() => sockets.splice(0).forEach((socket) => socket.disconnect()));
  afterAll(async () => {
    await app.app.close();
    await partnerApp.app.close();
  });

  /** Connects; resolves with the socket or the connect_error's message. */
  async function connect(
    url: string,
    namespace: string,
    options: { origin?: string; cookie?: string; token?: string; query?: Record<string, string> } = {},
  ): Promise<{ socket?: Socket; refused?: string }> {
    const extraHeaders: Record<string, string> = {};
    if (options.origin !== undefined) extraHeaders.origin = options.origin;
    if (options.cookie !== undefined) extraHeaders.cookie = options.cookie;
    const socket = io(`${url}${namespace}`, {
      transports: ['websocket'],
      reconnection: false,
      // One engine connection per test socket: a multiplexed one would reuse another test's headers.
      forceNew: true,
      extraHeaders,
      query: options.query,
      auth: options.token === undefined ? {} : { token: options.token },
    });
    sockets.push(socket);
    return new Promise((resolve) => {
      socket.once('connect', () => resolve({ socket }));
      socket.once('connect_error', (error: Error) => resolve({ refused: error.message }));
    });
  }

  function ask(socket: Socket, event: string): Promise<{ ack?: unknown; exception?: unknown }> {
    return new Promise((resolve) => {
      socket.once('exception', (exception: unknown) => resolve({ exception }));
      socket.emit(event, {}, (ack: unknown) => resolve({ ack }));
    });
  }

  describe('cross-site WebSocket hijacking: the cookie counts only from an allowed origin', () => {
    it('refuses a cookie handshake from another origin', async () => {
      expect(await connect(app.url, '/strict', { origin: EVIL, cookie: `hanko=${issuer.sign()}` })).toEqual({
        refused: 'origin not allowed',
      });
    });

    it('accepts the app’s own origin (Origin host = Host) and clients that send no Origin (not a browser)', async () => {
      const own = await connect(app.url, '/strict', { origin: app.url, cookie: `hanko=${issuer.sign()}` });
      expect(own.socket?.connected).toBe(true);
      const noOrigin = await connect(app.url, '/strict', { cookie: `hanko=${issuer.sign()}` });
      expect(noOrigin.socket?.connected).toBe(true);
    });

    it('does not treat a look-alike host as the app’s own', async () => {
      const { port } = new URL(app.url);
      for (const origin of [`http://127.0.0.1.evil.example:${port}`, `http://127.0.0.1:${Number(port) + 1}`, 'null']) {
        expect(await connect(app.url, '/strict', { origin, cookie: `hanko=${issuer.sign()}` })).toEqual({ refused: 'origin not allowed' });
      }
    });

    it('leaves Bearer handshakes alone, whatever the origin', async () => {
      const { socket } = await connect(app.url, '/strict', { origin: EVIL, token: issuer.sign() });
      expect(socket?.connected).toBe(true);
    });

    it('refuses the messages of a cross-origin cookie connection too (global guard, no handshake middleware)', async () => {
      const { socket } = await connect(app.url, '', { origin: EVIL, cookie: `hanko=${issuer.sign()}` });
      expect(await ask(socket!, 'me')).toEqual({
        exception: { status: 'error', statusCode: 401, error: 'Unauthorized', message: 'origin not allowed' },
      });
    });

    it('accepts origins listed in websocket.allowedOrigins, and only those', async () => {
      const partner = await connect(partnerApp.url, '/strict', { origin: PARTNER, cookie: `hanko=${issuer.sign()}` });
      expect(partner.socket?.connected).toBe(true);
      expect(await connect(partnerApp.url, '/strict', { origin: EVIL, cookie: `hanko=${issuer.sign()}` })).toEqual({
        refused: 'origin not allowed',
      });
    });
  });

  describe('authenticateConnection asks an overridden getRequest()', () => {
    it('authenticates a handshake from where the subclass reads the token', async () => {
      const result = await connect(app.url, '/query', {
        query: { session: issuer.sign({ sub: 'c0c0c0c0-0000-4000-8000-000000000001' }) },
      });
      expect(result.refused).toBeUndefined();
      expect(result.socket?.connected).toBe(true);
    });

    it('and refuses what the subclass finds there', async () => {
      expect(await connect(app.url, '/query', { query: { session: issuer.sign({ aud: ['elsewhere'] }) } })).toEqual({
        refused: 'audience mismatch',
      });
    });
  });
});

describe.each(ADAPTERS)('`ws` adapter handshakes over %s', (adapter) => {
  let app: StartedApp;
  let wsUrl: string;
  const clients: WebSocket[] = [];
  beforeAll(async () => {
    app = await startApp(adapter, [hankoModule(), WsGatewaysModule], [], (nest) => {
      nest.useWebSocketAdapter(new WsAdapter(nest));
    });
    wsUrl = app.url.replace(/^http/, 'ws');
  });
  afterEach(() => clients.splice(0).forEach((client) => client.terminate()));
  afterAll(() => app.app.close());

  /** Opens /ws/strict, which closes connections without a live session (1008); resolves with the close or the first answer. */
  async function open(headers: Record<string, string>): Promise<{ closed?: [number, string]; answer?: unknown }> {
    const client = new WebSocket(`${wsUrl}/ws/strict`, { headers });
    clients.push(client);
    return new Promise((resolve, reject) => {
      client.once('close', (code, reason) => resolve({ closed: [code, String(reason)] }));
      client.once('error', reject);
      client.once('open', () => {
        client.once('message', (raw) => resolve({ answer: JSON.parse((raw as Buffer).toString('utf8')) as unknown }));
        client.send(JSON.stringify({ event: 'me', data: {} }));
      });
    });
  }

  it('closes a cookie connection from another origin (1008 origin not allowed)', async () => {
    expect(await open({ origin: EVIL, cookie: `hanko=${issuer.sign()}` })).toEqual({ closed: [1008, 'origin not allowed'] });
  });

  it('serves a cookie connection from the app’s own origin, and a Bearer one from anywhere', async () => {
    const own = await open({ origin: app.url, cookie: `hanko=${issuer.sign({ sub: 'd0d0d0d0-0000-4000-8000-000000000001' })}` });
    expect(own).toEqual({ answer: { event: 'me', data: { id: 'd0d0d0d0-0000-4000-8000-000000000001' } } });
    const bearer = await open({ origin: EVIL, authorization: `Bearer ${issuer.sign({ sub: 'd0d0d0d0-0000-4000-8000-000000000002' })}` });
    expect(bearer).toEqual({ answer: { event: 'me', data: { id: 'd0d0d0d0-0000-4000-8000-000000000002' } } });
  });
});

describe('websocket.allowedOrigins is validated at bootstrap', () => {
  const boot = async (allowedOrigins: unknown) => {
    const moduleRef = await Test.createTestingModule({
      imports: [hankoModule({ websocket: { allowedOrigins: allowedOrigins as string[] } })],
    }).compile();
    await moduleRef.close();
  };

  it.each([
    ['a string instead of a list', 'https://app.example.com'],
    ['a trailing slash', ['https://app.example.com/']],
    ['a path', ['https://app.example.com/app']],
    ['a wildcard', ['*']],
    ['a wildcard host', ['https://*.example.com']],
    ['a bare host', ['app.example.com']],
    ['another scheme', ['ftp://app.example.com']],
    ['not a string', [42]],
  ])('%s', async (_name, value) => {
    await expect(boot(value)).rejects.toThrow(/HankoAuthModule: websocket\.allowedOrigins must/);
  });

  it('a misspelt option', async () => {
    await expect(Test.createTestingModule({ imports: [hankoModule({ websocket: { origins: [] } as never })] }).compile()).rejects.toThrow(
      /websocket\.origins is not an option/,
    );
  });

  it('origins as browsers send them', async () => {
    await expect(boot(['https://app.example.com', 'http://localhost:5173'])).resolves.toBeUndefined();
  });
});
