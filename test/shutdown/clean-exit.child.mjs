// Child process of clean-exit.spec.ts: boots an app with HankoAuthModule (keys fetched, revocation
// on), serves requests, closes the app, reports what is still open, and then must exit by itself.
// Plain ESM JavaScript over a build of src/ (Node 20 runs no TypeScript): decorators as functions.
//
// Usage: node clean-exit.child.mjs <libDir> <express|fastify> <apiUrl> <liveToken> <hangingToken>
import 'reflect-metadata';
import http from 'node:http';
import { pathToFileURL } from 'node:url';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';

const [libDir, adapter, apiUrl, liveToken, hangingToken] = process.argv.slice(2);
const lib = (path) => import(pathToFileURL(`${libDir}/${path}`).href);
const { HankoAuthModule } = await lib('index.js');
const { HankoKeySource } = await lib('keys/hanko-key.source.js');

class ProbeController {
  probe() {
    return { ok: true };
  }
}
Get('probe')(ProbeController.prototype, 'probe', Object.getOwnPropertyDescriptor(ProbeController.prototype, 'probe'));
Controller()(ProbeController);
class AppModule {}
Module({
  imports: [HankoAuthModule.forRoot({ apiUrl, audience: 'localhost', revocation: { cacheTtl: 30, timeout: 120 } })],
  controllers: [ProbeController],
})(AppModule);

const report = (event, data) => process.stdout.write(`${JSON.stringify({ event, ...data })}\n`);

/** One request on its own connection (no client keep-alive that could hold the process open). */
function get(port, token) {
  return new Promise((resolve) => {
    const request = http.get(
      { host: '127.0.0.1', port, path: '/probe', agent: false, headers: { authorization: `Bearer ${token}` } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      },
    );
    request.on('error', (error) => resolve(`error ${error.code}`));
  });
}

const app = await NestFactory.create(AppModule, adapter === 'express' ? new ExpressAdapter() : new FastifyAdapter(), { logger: false });
await app.listen(0, '127.0.0.1');
const port = app.getHttpServer().address().port;
await app.get(HankoKeySource).refresh();
report('keys', { kids: app.get(HankoKeySource).status().kids.length });
report('live', { status: await get(port, liveToken) });
// A request still waiting on Hanko (its session check hangs, with a 120 s deadline, past the
// parent's patience) when the app closes: only aborting it on close lets the process end.
const hanging = get(port, hangingToken);
await new Promise((resolve) => setTimeout(resolve, 500));
await app.close();
report('hanging', { status: await hanging });
report('closed', { resources: process.getActiveResourcesInfo() });
// Handles being closed still show for a tick or two; what is left after a moment would hold the process.
await new Promise((resolve) => setTimeout(resolve, 250));
report('settled', { resources: process.getActiveResourcesInfo() });
// No process.exit(): the parent checks that the process ends on its own.
