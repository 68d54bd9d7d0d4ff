import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { io, type Socket } from 'socket.io-client';
import { HankoAuthModule, HankoWebhookDispatcher, OnHankoEvent, type HankoEvent, type HankoEventFor } from '../../src/index.js';
import { deliverHankoWebhook, HankoTestIssuer, sessionOf } from '../../src/testing/index.js';
import { ADAPTERS, startApp, type StartedApp } from '../support/app.factory.js';
import { EventsGateway } from '../support/test.gateways.js';
import { ProtectedController } from '../support/test.controllers.js';
import { claimsOf } from '../support/token.forge.js';

const log: string[] = [];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Handlers run after the answer: wait until `count` entries arrived (generous, for a loaded machine). */
async function waitFor(count: number) {
  for (let i = 0; i < 200 && log.length < count; i++) await sleep(25);
}

/** What an app writes: typed handlers for provisioning, email sync and auditing. */
@Injectable()
class UserSync implements OnModuleInit {
  constructor(private readonly events: HankoWebhookDispatcher) {}

  onModuleInit() {
    this.events.on('user.login', (event) => void log.push(`on:${event.event}:${event.data.id}`), 'UserSync.audit');
  }

  @OnHankoEvent('user.create')
  provision(event: HankoEvent<'user.create'>) {
    log.push(`create:${event.data.id}:${event.data.emails?.[0]?.address}:${event.issuedAt instanceof Date}`);
  }

  @OnHankoEvent('user.update.email')
  emailChanged(
    event: HankoEvent<'user.update.email.create' | 'user.update.email.primary' | 'user.update.email.delete' | 'user.update.email'>,
  ) {
    log.push(`email:${event.event}`);
  }

  @OnHankoEvent('session.delete')
  ended(event: HankoEventFor<'session.delete'>) {
    log.push(`ended:${event.event}:${event.data.user_id}`);
  }

  @OnHankoEvent('user.delete')
  broken(event: HankoEvent<'user.delete'>) {
    throw new Error(`cannot delete ${event.data.id} (secret-address@example.com)`);
  }

  @OnHankoEvent('user.delete')
  async slowButFine(event: HankoEvent<'user.delete'>) {
    await sleep(10);
    log.push(`deleted:${event.data.id}`);
  }
}

@Module({ providers: [UserSync, EventsGateway] })
class AppFeatures {}

let issuer: HankoTestIssuer;
beforeAll(async () => {
  issuer = await HankoTestIssuer.start({ modulusLength: 2048 });
});
afterAll(() => issuer.close());

describe.each(ADAPTERS)('typed Hanko events over %s', (adapter) => {
  let app: StartedApp;
  beforeAll(async () => {
    app = await startApp(
      adapter,
      [HankoAuthModule.forRoot({ apiUrl: issuer.apiUrl, audience: 'localhost', webhooks: true }), AppFeatures],
      [ProtectedController],
    );
  });
  afterAll(() => app.app.close());

  it('reach the methods whose prefix matches, with the verified data', async () => {
    log.length = 0;
    const user = {
      id: '0b6a9f1e-9d3c-4f6e-8a51-2f0d6a7c9b10',
      emails: [{ id: 'e1', address: 'new@example.com', is_primary: true, is_verified: false }],
    };
    expect((await deliverHankoWebhook(app.url, issuer, 'user.create', user)).status).toBe(200);
    expect((await deliverHankoWebhook(app.url, issuer, 'user.update.email.primary', user)).status).toBe(200);
    expect((await deliverHankoWebhook(app.url, issuer, 'user.login', user)).status).toBe(200);
    // No handler for these: a hook on `user.update.email` must not get `user.update.username.create`.
    expect((await deliverHankoWebhook(app.url, issuer, 'user.update.username.create', user)).status).toBe(200);
    const token = issuer.sign();
    expect((await deliverHankoWebhook(app.url, issuer, 'session.delete.passive.limit', { ...sessionOf(token) })).status).toBe(200);
    await waitFor(4);
    await sleep(50);
    expect(log.sort()).toEqual(
      [
        `create:${user.id}:new@example.com:true`,
        'email:user.update.email.primary',
        `on:user.login:${user.id}`,
        `ended:session.delete.passive.limit:${String(claimsOf(token).sub)}`,
      ].sort(),
    );
  });

  it('a handler that throws is logged by name, without its message or the payload, and changes neither the 200 nor other handlers', async () => {
    log.length = 0;
    const id = 'c0ffee00-0000-4000-8000-000000000001';
    expect(await deliverHankoWebhook(app.url, issuer, 'user.delete', { id })).toEqual({ status: 200, body: { status: 'accepted' } });
    await waitFor(1);
    expect(log).toEqual([`deleted:${id}`]);
    const errors = app.lines().filter((line) => line.level === 'error');
    expect(errors.some((line) => line.message.startsWith('Hanko event handler UserSync.broken failed on user.delete (Error)'))).toBe(true);
    const text = app.logger.text();
    expect(text).not.toContain('secret-address');
    expect(text).not.toContain(id);
  });
});

describe('WebSocket connections of a revoked session', () => {
  let app: StartedApp;
  beforeAll(async () => {
    app = await startApp(
      'express',
      [HankoAuthModule.forRoot({ apiUrl: issuer.apiUrl, audience: 'localhost', webhooks: true }), AppFeatures],
      [],
    );
  });
  afterAll(() => app.app.close());

  function ask(socket: Socket, event: string): Promise<{ ack?: unknown; exception?: unknown }> {
    return new Promise((resolve) => {
      const onException = (exception: unknown) => resolve({ exception });
      socket.once('exception', onException);
      socket.emit(event, {}, (ack: unknown) => {
        socket.off('exception', onException);
        resolve({ ack });
      });
    });
  }

  it('are refused from their next message on (the connection stays open for public messages)', async () => {
    const token = issuer.sign();
    const socket = io(app.url, { transports: ['websocket'], reconnection: false, auth: { token } });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('connect_error', reject);
      });
      expect((await ask(socket, 'me/id')).ack).toEqual({ id: claimsOf(token).sub });
      expect((await deliverHankoWebhook(app.url, issuer, 'session.delete.explicit.logout', { ...sessionOf(token) })).status).toBe(200);
      expect(await ask(socket, 'me/id')).toEqual({
        exception: { status: 'error', statusCode: 401, error: 'Unauthorized', message: 'session revoked' },
      });
      expect(await ask(socket, 'hello')).toEqual({ ack: { user: null } });
    } finally {
      socket.disconnect();
    }
  });
});
