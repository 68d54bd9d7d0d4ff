import type { IncomingMessage } from 'node:http';
import { UseGuards } from '@nestjs/common';
import { SubscribeMessage, WebSocketGateway, type OnGatewayConnection, type OnGatewayInit } from '@nestjs/websockets';
import type { Namespace } from 'socket.io';
import type { WebSocket } from 'ws';
import { CurrentUser, HankoGuard, Public, RequireAmr, type HankoUser } from '../../src/index.js';

/** socket.io, global guard: every message needs a session unless @Public(); connecting is free. */
@WebSocketGateway()
export class EventsGateway {
  @SubscribeMessage('me')
  me(@CurrentUser() user: HankoUser) {
    return { id: user.id, email: user.email?.address ?? null };
  }

  @SubscribeMessage('me/id')
  id(@CurrentUser('id') id: string) {
    return { id };
  }

  @Public()
  @SubscribeMessage('hello')
  hello(@CurrentUser() user: HankoUser | undefined) {
    return { user: user?.id ?? null };
  }

  @RequireAmr('passkey')
  @SubscribeMessage('passkey')
  passkey() {
    return { ok: true };
  }
}

/** socket.io, connections refused at the handshake by a namespace middleware. */
@WebSocketGateway({ namespace: 'strict' })
export class StrictGateway implements OnGatewayInit {
  constructor(private readonly hanko: HankoGuard) {}

  afterInit(namespace: Namespace) {
    namespace.use((socket, next) => void this.hanko.authenticateConnection(socket).then(() => next(), next));
  }

  @SubscribeMessage('me')
  me(@CurrentUser('id') id: string) {
    return { id };
  }
}

/**
 * Guarded explicitly: what a Nest 11 app needs, since Nest 11 runs no global guard (APP_GUARD
 * included) for gateway messages. Nest 12 does; stacking both is harmless.
 */
@UseGuards(HankoGuard)
@WebSocketGateway({ namespace: 'guarded' })
export class ExplicitlyGuardedGateway {
  @SubscribeMessage('me')
  me(@CurrentUser('id') id: string) {
    return { id };
  }
}

/**
 * The `ws` adapter: a WebSocket keeps no handshake, so the gateway hands the upgrade request over
 * once per connection. This one keeps unauthenticated connections (its messages are refused).
 */
@WebSocketGateway({ path: '/ws' })
export class WsEventsGateway implements OnGatewayConnection {
  constructor(private readonly hanko: HankoGuard) {}

  async handleConnection(client: WebSocket, request: IncomingMessage) {
    await this.hanko.authenticateConnection(client, request).catch(() => undefined);
  }

  @SubscribeMessage('me')
  me(@CurrentUser('id') id: string) {
    return { event: 'me', data: { id } };
  }

  @Public()
  @SubscribeMessage('hello')
  hello(@CurrentUser('id') id: string | undefined) {
    return { event: 'hello', data: { user: id ?? null } };
  }
}

/** The `ws` adapter, connections without a live session closed at once (1008: policy violation). */
@WebSocketGateway({ path: '/ws/strict' })
export class WsStrictGateway implements OnGatewayConnection {
  constructor(private readonly hanko: HankoGuard) {}

  async handleConnection(client: WebSocket, request: IncomingMessage) {
    await this.hanko.authenticateConnection(client, request).catch((refusal: Error) => client.close(1008, refusal.message));
  }

  @SubscribeMessage('me')
  me(@CurrentUser('id') id: string) {
    return { event: 'me', data: { id } };
  }
}

/** The `ws` adapter, a gateway that never hands over the upgrade request: nothing to read, so refused unless public. */
@WebSocketGateway({ path: '/ws/forgetful' })
export class WsForgetfulGateway {
  @SubscribeMessage('me')
  me(@CurrentUser('id') id: string) {
    return { event: 'me', data: { id } };
  }

  @Public()
  @SubscribeMessage('hello')
  hello() {
    return { event: 'hello', data: { ok: true } };
  }
}
