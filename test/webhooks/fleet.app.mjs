// One instance of a fleet for the two-process Redis test: a Nest app with HankoAuthModule (webhooks
// shared through Redis) and one protected route. Plain ESM JavaScript over a build of the library.
//
// Usage: node fleet.app.mjs <libDir> <apiUrl> <redisUrl>
// Prints `READY <url>` once listening on 127.0.0.1 (ephemeral port); exits when stdin closes.
import 'reflect-metadata';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Controller, Get, Injectable, Module, Req } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

const [libDir, apiUrl, redisUrl] = process.argv.slice(2);
const { HankoAuthModule, OnHankoEvent } = await import(pathToFileURL(join(libDir, 'index.js')).href);

/** Says on stdout which events reached this instance's handler, so the test can count them per instance. */
class UserEvents {
  created(event) {
    process.stdout.write(`HANDLED ${event.event} ${event.data.id}\n`);
  }
}
OnHankoEvent('user.create')(UserEvents.prototype, 'created', Object.getOwnPropertyDescriptor(UserEvents.prototype, 'created'));
Injectable()(UserEvents);

class MeController {
  me(req) {
    return { id: req.user.id };
  }
}
Get('me')(MeController.prototype, 'me', Object.getOwnPropertyDescriptor(MeController.prototype, 'me'));
Req()(MeController.prototype, 'me', 0);
Controller()(MeController);

class AppModule {}
Module({
  // Generous key-fetch deadline and a short cooldown: the test machine may be very busy.
  imports: [
    HankoAuthModule.forRoot({
      apiUrl,
      audience: 'localhost',
      keys: { fetchTimeout: 30, refetchCooldown: 1 },
      webhooks: { redis: { url: redisUrl } },
    }),
  ],
  controllers: [MeController],
  providers: [UserEvents],
})(AppModule);

const app = await NestFactory.create(AppModule, { logger: ['log', 'warn', 'error'] });
await app.listen(0, '127.0.0.1');
process.stdout.write(`READY ${(await app.getUrl()).replace('[::1]', '127.0.0.1')}\n`);
const leave = () => void app.close().finally(() => process.exit(0));
process.stdin.on('end', leave);
process.stdin.on('error', leave);
process.stdin.resume();
process.on('SIGTERM', leave);
