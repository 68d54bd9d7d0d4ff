// The application under soak: Nest 12 + Express, HankoAuthModule with revocation on and answers
// shared through Redis (@nestjs/cache-manager + Keyv). Plain ESM over the build in dist/.
//
// Usage: node bench/soak/app.mjs <apiUrl> <redisUrl> [optionsJson]
// Prints `READY {"port":…}`; GET /metrics (public) reports memory and open handles;
// on SIGTERM (or when the parent goes away) it closes the app, reports what is left, and must
// then exit by itself.
import 'reflect-metadata';
import { Controller, Get, Module, Req } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { CacheModule } from '@nestjs/cache-manager';
import { createKeyv } from '@keyv/redis';
import { HankoAuthModule, Public } from '../../dist/index.js';

const [apiUrl, redisUrl, optionsJson] = process.argv.slice(2);
if (!apiUrl || !redisUrl) throw new Error('usage: bench/soak/app.mjs <apiUrl> <redisUrl> [optionsJson]');
const options = optionsJson ? JSON.parse(optionsJson) : {};

/** Handle kinds Node reports as keeping the loop alive, counted (TCPSocketWrap = open sockets). */
function resources() {
  const counts = {};
  for (const name of process.getActiveResourcesInfo()) counts[name] = (counts[name] ?? 0) + 1;
  return counts;
}

class SoakController {
  me(req) {
    return { id: req.user.id };
  }
  metrics() {
    // With --expose-gc (run.mjs passes it): measure what is retained, not where the last GC happened to leave the heap.
    globalThis.gc?.();
    const { heapUsed, rss } = process.memoryUsage();
    return { heapUsed, rss, resources: resources(), cpu: process.cpuUsage() };
  }
}
const method = (name) => Object.getOwnPropertyDescriptor(SoakController.prototype, name);
Get('me')(SoakController.prototype, 'me', method('me'));
Req()(SoakController.prototype, 'me', 0);
Get('metrics')(SoakController.prototype, 'metrics', method('metrics'));
Public()(SoakController.prototype, 'metrics', method('metrics'));
Controller()(SoakController);

class AppModule {}
Module({
  imports: [
    CacheModule.register({ isGlobal: true, stores: [createKeyv(redisUrl)] }),
    HankoAuthModule.forRoot({ apiUrl, audience: 'localhost', revocation: { sharedCache: true }, ...options }),
  ],
  controllers: [SoakController],
})(AppModule);

const app = await NestFactory.create(AppModule, new ExpressAdapter(), { logger: ['error', 'warn', 'log'] });
await app.listen(0, '127.0.0.1');
process.stdout.write(`READY ${JSON.stringify({ port: app.getHttpServer().address().port, pid: process.pid })}\n`);

let closing = false;
async function close(reason) {
  if (closing) return;
  closing = true;
  process.stdin.destroy();
  await app.close();
  // Handles being closed still show for a moment; what is left after that would hold the process.
  // (Reported from a setImmediate, so the timer that waited is no longer listed.)
  setTimeout(() => setImmediate(() => process.stdout.write(`CLOSED ${JSON.stringify({ reason, resources: resources() })}\n`)), 500);
}
process.on('SIGTERM', () => void close('SIGTERM'));
process.stdin.on('end', () => void close('parent gone'));
process.stdin.resume();
