import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, UseGuards, type INestMicroservice } from '@nestjs/common';
import { ClientProxyFactory, EventPattern, MessagePattern, Transport, type ClientProxy } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import type { AddressInfo, Server } from 'node:net';
import { firstValueFrom } from 'rxjs';
import { CurrentUser, HankoAuthModule, HankoGuard, Public, RequireVerifiedEmail, type HankoUser } from '../../src/index.js';
import { HankoTestIssuer } from '../../src/testing/index.js';
import { CapturingLogger, call, startApp, type StartedApp } from '../support/app.factory.js';

const handled: string[] = [];

/** Message handlers carry no credentials the guard reads: only @Public() ones may run. */
@Controller()
class OrdersController {
  @MessagePattern('orders.list')
  list(@CurrentUser() user: HankoUser | undefined) {
    handled.push('orders.list');
    return { user: user?.id ?? null };
  }

  @Public()
  @MessagePattern('health')
  health(@CurrentUser() user: HankoUser | undefined) {
    handled.push('health');
    return { ok: true, user: user ?? null };
  }

  @Public()
  @RequireVerifiedEmail()
  @MessagePattern('public-but-verified')
  publicButVerified() {
    handled.push('public-but-verified');
    return { ok: true };
  }

  @EventPattern('orders.created')
  created(_order: unknown) {
    handled.push('orders.created');
  }

  // The same controller serves HTTP in the hybrid app.
  @Get('orders')
  http(@CurrentUser('id') id: string) {
    return { id };
  }
}

@Public()
@Controller()
class StatusController {
  @MessagePattern('status')
  status() {
    return { up: true };
  }
}

let issuer: HankoTestIssuer;
beforeAll(async () => {
  issuer = await HankoTestIssuer.start({ modulusLength: 2048 });
});
afterAll(() => issuer.close());

const tcpPort = (server: unknown) => ((server as Server).address() as AddressInfo).port;
const tcpClient = (port: number) => ClientProxyFactory.create({ transport: Transport.TCP, options: { host: '127.0.0.1', port } });
const ask = (client: ClientProxy, pattern: string, data: unknown = {}) =>
  firstValueFrom(client.send(pattern, data)).then(
    (answer: unknown) => ({ answer }),
    (error: unknown) => ({ error }),
  );

interface RpcServer {
  port: number;
  close: () => Promise<void>;
  logger: CapturingLogger;
}

function describeRpc(name: string, boot: () => Promise<RpcServer>, more?: () => void) {
  describe(name, () => {
    let port: number;
    let client: ClientProxy;
    let close: () => Promise<void>;
    let logger: CapturingLogger;
    beforeAll(async () => {
      ({ port, close, logger } = await boot());
      client = tcpClient(port);
      await client.connect();
    });
    afterAll(async () => {
      client.close();
      await close();
    });

    it('refuses a message handler that is not @Public() with an RpcException: status, 401, no internal error', async () => {
      handled.length = 0;
      expect(await ask(client, 'orders.list')).toEqual({ error: { status: 'error', statusCode: 401, message: 'Unauthorized' } });
      expect(handled).toEqual([]);
      // A refusal is an answer, not a crash: nothing is logged as an error.
      expect(logger.lines.filter((l) => l.level === 'error')).toEqual([]);
    });

    it('never reads a token from the message: a Bearer header in the payload changes nothing', async () => {
      const payload = { headers: { authorization: `Bearer ${issuer.sign()}` }, cookies: { hanko: issuer.sign() } };
      expect(await ask(client, 'orders.list', payload)).toEqual({ error: { status: 'error', statusCode: 401, message: 'Unauthorized' } });
    });

    it('runs @Public() handlers and @Public() controllers, with no user', async () => {
      expect(await ask(client, 'health')).toEqual({ answer: { ok: true, user: null } });
      expect(await ask(client, 'status')).toEqual({ answer: { up: true } });
    });

    it('refuses a public handler with requirements (they imply a session)', async () => {
      expect(await ask(client, 'public-but-verified')).toEqual({ error: { status: 'error', statusCode: 401, message: 'Unauthorized' } });
    });

    it('drops a protected event without running its handler', async () => {
      handled.length = 0;
      await firstValueFrom(client.emit('orders.created', { id: 1 }));
      // A message after the event: the server handles a connection's packets in order.
      expect(await ask(client, 'health')).toEqual({ answer: { ok: true, user: null } });
      expect(handled).toEqual(['health']);
    });

    more?.();
  });
}

describeRpc('a TCP microservice on loopback', async () => {
  const moduleRef = await Test.createTestingModule({
    imports: [HankoAuthModule.forRoot({ apiUrl: issuer.apiUrl, audience: 'localhost' })],
    controllers: [OrdersController, StatusController],
  }).compile();
  const logger = new CapturingLogger();
  const microservice: INestMicroservice = moduleRef.createNestMicroservice({
    transport: Transport.TCP,
    options: { host: '127.0.0.1', port: 0 },
    logger,
  });
  microservice.useLogger(logger);
  await microservice.listen();
  return { port: tcpPort(microservice.unwrap()), close: () => microservice.close(), logger };
});

let hybrid: StartedApp;
describeRpc(
  'a hybrid app (HTTP + TCP microservice, inheritAppConfig)',
  async () => {
    hybrid = await startApp(
      'express',
      [HankoAuthModule.forRoot({ apiUrl: issuer.apiUrl, audience: 'localhost' })],
      [OrdersController, StatusController],
      async (app) => {
        // Without inheritAppConfig Nest applies no global guard (APP_GUARD included) to the microservice.
        app.connectMicroservice({ transport: Transport.TCP, options: { host: '127.0.0.1', port: 0 } }, { inheritAppConfig: true });
        await app.startAllMicroservices();
      },
    );
    return { port: tcpPort(hybrid.app.getMicroservices()[0].unwrap()), close: () => hybrid.app.close(), logger: hybrid.logger };
  },
  () => {
    it('still authenticates HTTP requests to the same controller', async () => {
      expect((await call(hybrid.url, '/orders')).status).toBe(401);
      const res = await call(hybrid.url, '/orders', { token: issuer.sign({ sub: 'abababab-0000-4000-8000-000000000001' }) });
      expect(res.body).toEqual({ id: 'abababab-0000-4000-8000-000000000001' });
    });
  },
);

describe('a hybrid app without inheritAppConfig', () => {
  @UseGuards(HankoGuard)
  @Controller()
  class GuardedOrdersController {
    @MessagePattern('orders.list')
    list() {
      return { listed: true };
    }
  }

  it('is protected by @UseGuards(HankoGuard) on the controller, which Nest applies to every transport', async () => {
    const app = await startApp(
      'express',
      [HankoAuthModule.forRoot({ apiUrl: issuer.apiUrl, audience: 'localhost' })],
      [GuardedOrdersController],
      async (nest) => {
        nest.connectMicroservice({ transport: Transport.TCP, options: { host: '127.0.0.1', port: 0 } });
        await nest.startAllMicroservices();
      },
    );
    const client = tcpClient(tcpPort(app.app.getMicroservices()[0].unwrap()));
    try {
      expect(await ask(client, 'orders.list')).toEqual({ error: { status: 'error', statusCode: 401, message: 'Unauthorized' } });
    } finally {
      client.close();
      await app.app.close();
    }
  });
});
