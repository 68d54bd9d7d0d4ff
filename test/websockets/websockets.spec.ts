import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Module } from '@nestjs/common';
import { WsAdapter } from '@nestjs/platform-ws';
import { io, type Socket } from 'socket.io-client';
import { WebSocket } from 'ws';
import { HankoAuthModule } from '../../src/index.js';
import { HankoStrategy } from '../../src/hanko.strategy.js';
import { HankoKeySource } from '../../src/keys/hanko-key.source.js';
import { startApp, type StartedApp } from '../support/app.factory.js';
import { FaultyIssuer } from '../support/faulty-issuer.js';
import { expectNoLeak } from '../support/refusal.expect.js';
import {
  EventsGateway,
  ExplicitlyGuardedGateway,
  StrictGateway,
  WsEventsGateway,
  WsForgetfulGateway,
  WsStrictGateway,
} from '../support/test.gateways.js';
import { claimsOf } from '../support/token.forge.js';

const now = () => Math.floor(Date.now() / 1000);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let hanko: FaultyIssuer;
beforeAll(async () => {
  hanko = await FaultyIssuer.start({ modulusLength: 2048 });
});
afterAll(() => hanko.close());
/** Signs with the published key (one scenario adds an unpublished one). */
const sign = (claims: Record<string, unknown> = {}) => hanko.sign(claims, { kid: hanko.keys[0].kid });

const hankoModule = () =>
  // No verified-token cache and no clock tolerance: what is reused is the connection's outcome, and expiry shows at once.
  HankoAuthModule.forRoot({
    apiUrl: hanko.apiUrl,
    audience: 'localhost',
    tokenCache: false,
    clockTolerance: 0,
    keys: { refetchCooldown: 0 },
  });

describe('socket.io gateways', () => {
  @Module({ providers: [EventsGateway, StrictGateway] })
  class GatewaysModule {}

  let app: StartedApp;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    app = await startApp('express', [hankoModule(), GatewaysModule], []);
  });
  afterEach(() => sockets.splice(0).forEach((socket) => socket.disconnect()));
  afterAll(() => app.app.close());

  /** A connected socket.io client; `connect_error` rejects. */
  async function connect(namespace = '', options: { token?: string; header?: string; cookie?: string } = {}): Promise<Socket> {
    const extraHeaders: Record<string, string> = {};
    if (options.header !== undefined) extraHeaders.authorization = options.header;
    if (options.cookie !== undefined) extraHeaders.cookie = options.cookie;
    const socket = io(`${app.url}${namespace}`, {
      transports: ['websocket'],
      reconnection: false,
      extraHeaders,
      auth: options.token === undefined ? {} : { token: options.token },
    });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    return socket;
  }

  /** Emits and resolves with the handler's answer (ack) or the refusal (the `exception` event), whichever comes. */
  function ask(socket: Socket, event: string): Promise<{ ack?: unknown; exception?: Record<string, unknown> }> {
    return new Promise((resolve) => {
      const onException = (exception: Record<string, unknown>) => resolve({ exception });
      socket.once('exception', onException);
      socket.emit(event, {}, (ack: unknown) => {
        socket.off('exception', onException);
        resolve({ ack });
      });
    });
  }

  describe('where the token comes from', () => {
    it('the handshake auth payload (what a browser can send): io(url, { auth: { token } })', async () => {
      const socket = await connect('', { token: sign({ sub: 'a1a1a1a1-0000-4000-8000-000000000001' }) });
      expect(await ask(socket, 'me')).toEqual({ ack: { id: 'a1a1a1a1-0000-4000-8000-000000000001', email: 'user@example.com' } });
      expect(await ask(socket, 'me/id')).toEqual({ ack: { id: 'a1a1a1a1-0000-4000-8000-000000000001' } });
    });

    it('"Bearer <jwt>" in the auth payload as well', async () => {
      const socket = await connect('', { token: `Bearer ${sign({ sub: 'a2a2a2a2-0000-4000-8000-000000000002' })}` });
      expect(await ask(socket, 'me/id')).toEqual({ ack: { id: 'a2a2a2a2-0000-4000-8000-000000000002' } });
    });

    it('the Authorization header of the handshake, which wins over the payload', async () => {
      const socket = await connect('', { header: `Bearer ${sign({ sub: 'b1b1b1b1-0000-4000-8000-000000000001' })}`, token: 'garbage' });
      expect(await ask(socket, 'me/id')).toEqual({ ack: { id: 'b1b1b1b1-0000-4000-8000-000000000001' } });
    });

    it('the hanko cookie', async () => {
      const socket = await connect('', { cookie: `theme=dark; hanko=${sign({ sub: 'c1c1c1c1-0000-4000-8000-000000000001' })}` });
      expect(await ask(socket, 'me/id')).toEqual({ ack: { id: 'c1c1c1c1-0000-4000-8000-000000000001' } });
    });
  });

  describe('refused messages get a WsException', () => {
    it('without a token: the `exception` event with status, 401 and Nest’s phrase; no answer', async () => {
      const socket = await connect();
      expect(await ask(socket, 'me')).toEqual({ exception: { status: 'error', statusCode: 401, message: 'Unauthorized' } });
      // The connection stays usable for public messages.
      expect(await ask(socket, 'hello')).toEqual({ ack: { user: null } });
    });

    it('a refused token: our fixed phrase, nothing of the token or a library', async () => {
      const token = sign({ iat: now() - 7200, exp: now() - 3600 });
      const socket = await connect('', { token });
      const { exception } = await ask(socket, 'me');
      expect(exception).toEqual({ status: 'error', statusCode: 401, error: 'Unauthorized', message: 'token expired' });
      expectNoLeak(JSON.stringify(exception), token);
    });

    it('an unmet requirement: 403 with the requirement', async () => {
      const socket = await connect('', { token: sign({ amr: ['pwd'] }) });
      expect(await ask(socket, 'passkey')).toEqual({
        exception: { status: 'error', statusCode: 403, error: 'Forbidden', message: 'requires login with passkey' },
      });
    });

    it('@Public() messages get the user when the handshake had a valid token, and ignore an invalid one', async () => {
      const socket = await connect('', { token: sign({ sub: 'd1d1d1d1-0000-4000-8000-000000000001' }) });
      expect(await ask(socket, 'hello')).toEqual({ ack: { user: 'd1d1d1d1-0000-4000-8000-000000000001' } });
      const expired = await connect('', { token: sign({ exp: now() - 60, iat: now() - 120 }) });
      expect(await ask(expired, 'hello')).toEqual({ ack: { user: null } });
    });
  });

  describe('one authentication per connection', () => {
    it('verifies the token once for all the messages of a connection', async () => {
      const validate = jest.spyOn(app.app.get(HankoStrategy), 'validate');
      const socket = await connect('', { token: sign() });
      for (let i = 0; i < 5; i++) expect((await ask(socket, 'me/id')).ack).toBeDefined();
      expect(validate).toHaveBeenCalledTimes(1);
      validate.mockRestore();
    });

    it('stops serving a connection whose token has expired since the handshake', async () => {
      const exp = now() + 2;
      const socket = await connect('', { token: sign({ exp }) });
      expect((await ask(socket, 'me/id')).ack).toBeDefined();
      await sleep(exp * 1000 - Date.now() + 100);
      expect(await ask(socket, 'me/id')).toEqual({
        exception: { status: 'error', statusCode: 401, error: 'Unauthorized', message: 'token expired' },
      });
      // And a public handler no longer sees a user.
      expect(await ask(socket, 'hello')).toEqual({ ack: { user: null } });
    });

    it('does not let a Hanko outage stick to a connection: the next message asks again', async () => {
      const rotated = await hanko.addKey({ modulusLength: 2048, publish: false });
      const socket = await connect('', { token: hanko.sign({ sub: 'e1e1e1e1-0000-4000-8000-000000000001' }, { kid: rotated.kid }) });
      hanko.fault = '503';
      try {
        const { exception } = await ask(socket, 'me/id');
        expect(exception).toMatchObject({ status: 'error', statusCode: 503, message: 'authentication temporarily unavailable' });
        expect(exception?.retryAfter).toBeGreaterThanOrEqual(1);
      } finally {
        hanko.fault = 'none';
      }
      hanko.published.add(rotated.kid);
      expect(await ask(socket, 'me/id')).toEqual({ ack: { id: 'e1e1e1e1-0000-4000-8000-000000000001' } });
    });
  });

  describe('key rotation on an open connection', () => {
    it('stops serving a connection once the key that verified its token is gone from Hanko’s key set', async () => {
      const retired = await hanko.addKey({ modulusLength: 2048 });
      await app.app.get(HankoKeySource).refresh();
      const socket = await connect('', { token: hanko.sign({ sub: 'f1f1f1f1-0000-4000-8000-000000000001' }, { kid: retired.kid }) });
      expect(await ask(socket, 'me/id')).toEqual({ ack: { id: 'f1f1f1f1-0000-4000-8000-000000000001' } });
      hanko.published.delete(retired.kid);
      await app.app.get(HankoKeySource).refresh();
      expect(await ask(socket, 'me/id')).toEqual({
        exception: { status: 'error', statusCode: 401, error: 'Unauthorized', message: 'unknown signing key' },
      });
      expect(await ask(socket, 'hello')).toEqual({ ack: { user: null } });
    });
  });

  describe('refusing the connection itself (namespace middleware with authenticateConnection)', () => {
    it('refuses the handshake without a live session: connect_error with the same payload', async () => {
      const error = (await connect('/strict').catch((e: unknown) => e)) as Error & { data?: unknown };
      expect(error.message).toBe('Unauthorized');
      expect(error.data).toEqual({ status: 'error', statusCode: 401, message: 'Unauthorized' });
      const expired = (await connect('/strict', { token: sign({ exp: now() - 60, iat: now() - 120 }) }).catch(
        (e: unknown) => e,
      )) as Error & { data?: unknown };
      expect(expired.message).toBe('token expired');
      expect(expired.data).toEqual({ status: 'error', statusCode: 401, error: 'Unauthorized', message: 'token expired' });
    });

    it('lets a live session in, and its messages reuse the handshake’s outcome', async () => {
      const validate = jest.spyOn(app.app.get(HankoStrategy), 'validate');
      const socket = await connect('/strict', { token: sign({ sub: 'f1f1f1f1-0000-4000-8000-000000000001' }) });
      expect(await ask(socket, 'me')).toEqual({ ack: { id: 'f1f1f1f1-0000-4000-8000-000000000001' } });
      expect(await ask(socket, 'me')).toEqual({ ack: { id: 'f1f1f1f1-0000-4000-8000-000000000001' } });
      expect(validate).toHaveBeenCalledTimes(1);
      validate.mockRestore();
    });
  });
});

describe('socket.io gateway with @UseGuards(HankoGuard) and globalGuard: false (the Nest 11 way)', () => {
  @Module({ providers: [ExplicitlyGuardedGateway] })
  class GatewaysModule {}

  it('refuses anonymous messages and serves a live session', async () => {
    const app = await startApp(
      'express',
      [HankoAuthModule.forRoot({ apiUrl: hanko.apiUrl, audience: 'localhost', globalGuard: false }), GatewaysModule],
      [],
    );
    const open = (auth: Record<string, string>) => {
      const socket = io(`${app.url}/guarded`, { transports: ['websocket'], reconnection: false, auth });
      return new Promise<Socket>((resolve, reject) => socket.once('connect', () => resolve(socket)).once('connect_error', reject));
    };
    const ask = (socket: Socket) =>
      new Promise<unknown>((resolve) => {
        socket.once('exception', (exception: unknown) => resolve({ exception }));
        socket.emit('me', {}, (ack: unknown) => resolve({ ack }));
      });
    const anonymous = await open({});
    const user = await open({ token: sign({ sub: 'a4a4a4a4-0000-4000-8000-000000000004' }) });
    try {
      expect(await ask(anonymous)).toEqual({ exception: { status: 'error', statusCode: 401, message: 'Unauthorized' } });
      expect(await ask(user)).toEqual({ ack: { id: 'a4a4a4a4-0000-4000-8000-000000000004' } });
    } finally {
      anonymous.disconnect();
      user.disconnect();
      await app.app.close();
    }
  });
});

describe('socket.io gateways with revocation on', () => {
  @Module({ providers: [EventsGateway] })
  class GatewaysModule {}

  it('stops serving a connection whose session Hanko revoked, within revocation.cacheTtl', async () => {
    const app = await startApp(
      'express',
      [HankoAuthModule.forRoot({ apiUrl: hanko.apiUrl, audience: 'localhost', revocation: { cacheTtl: 1 } }), GatewaysModule],
      [],
    );
    const token = sign({ sub: 'f2f2f2f2-0000-4000-8000-000000000002' });
    const socket = io(app.url, { transports: ['websocket'], reconnection: false, auth: { token } });
    try {
      await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('connect_error', reject));
      const ask = () =>
        new Promise<unknown>((resolve) => {
          socket.once('exception', (exception: unknown) => resolve({ exception }));
          socket.emit('me/id', {}, (ack: unknown) => resolve({ ack }));
        });
      expect(await ask()).toEqual({ ack: { id: 'f2f2f2f2-0000-4000-8000-000000000002' } });
      hanko.revokeSession(claimsOf(token).session_id as string);
      await sleep(1100);
      expect(await ask()).toEqual({ exception: { status: 'error', statusCode: 401, error: 'Unauthorized', message: 'session revoked' } });
    } finally {
      socket.disconnect();
      await app.app.close();
    }
  });
});

describe('`ws` adapter gateways', () => {
  @Module({ providers: [WsEventsGateway, WsStrictGateway, WsForgetfulGateway] })
  class WsGatewaysModule {}

  let app: StartedApp;
  let wsUrl: string;
  const clients: WebSocket[] = [];
  beforeAll(async () => {
    app = await startApp('express', [hankoModule(), WsGatewaysModule], [], (nest) => {
      nest.useWebSocketAdapter(new WsAdapter(nest));
    });
    wsUrl = app.url.replace(/^http/, 'ws');
  });
  afterEach(() => clients.splice(0).forEach((client) => client.terminate()));
  afterAll(() => app.app.close());

  async function open(path: string, headers: Record<string, string> = {}): Promise<WebSocket> {
    const client = new WebSocket(`${wsUrl}${path}`, { headers });
    clients.push(client);
    await new Promise((resolve, reject) => client.once('open', resolve).once('error', reject));
    return client;
  }

  function ask(client: WebSocket, event: string): Promise<{ event: string; data: unknown }> {
    return new Promise((resolve) => {
      // A text frame arrives as one Buffer (ws's default binaryType, 'nodebuffer').
      client.once('message', (raw) => resolve(JSON.parse((raw as Buffer).toString('utf8')) as { event: string; data: unknown }));
      client.send(JSON.stringify({ event, data: {} }));
    });
  }

  it('authenticates from the upgrade request’s Authorization header or cookie', async () => {
    const byHeader = await open('/ws', { authorization: `Bearer ${sign({ sub: 'a3a3a3a3-0000-4000-8000-000000000003' })}` });
    expect(await ask(byHeader, 'me')).toEqual({ event: 'me', data: { id: 'a3a3a3a3-0000-4000-8000-000000000003' } });
    const byCookie = await open('/ws', { cookie: `hanko=${sign({ sub: 'c3c3c3c3-0000-4000-8000-000000000003' })}` });
    expect(await ask(byCookie, 'me')).toEqual({ event: 'me', data: { id: 'c3c3c3c3-0000-4000-8000-000000000003' } });
  });

  it('refuses messages of an unauthenticated connection with a WsException, serves public ones', async () => {
    const client = await open('/ws');
    expect(await ask(client, 'me')).toEqual({ event: 'exception', data: { status: 'error', statusCode: 401, message: 'Unauthorized' } });
    expect(await ask(client, 'hello')).toEqual({ event: 'hello', data: { user: null } });
  });

  it('can close a connection without a live session at once', async () => {
    const client = new WebSocket(`${wsUrl}/ws/strict`, {
      headers: { authorization: `Bearer ${sign({ exp: now() - 60, iat: now() - 120 })}` },
    });
    clients.push(client);
    const [code, reason] = await new Promise<[number, string]>((resolve) => client.once('close', (c, r) => resolve([c, String(r)])));
    expect([code, reason]).toEqual([1008, 'token expired']);
    const live = await open('/ws/strict', { authorization: `Bearer ${sign({ sub: 'b3b3b3b3-0000-4000-8000-000000000003' })}` });
    expect(await ask(live, 'me')).toEqual({ event: 'me', data: { id: 'b3b3b3b3-0000-4000-8000-000000000003' } });
  });

  it('fails closed when the gateway never handed over the upgrade request', async () => {
    const client = await open('/ws/forgetful', { authorization: `Bearer ${sign()}` });
    expect(await ask(client, 'me')).toEqual({ event: 'exception', data: { status: 'error', statusCode: 401, message: 'Unauthorized' } });
    expect(await ask(client, 'hello')).toEqual({ event: 'hello', data: { ok: true } });
  });
});
