// One Nest 12 + Express application per benchmark variant, each in its own process.
// Plain ESM JavaScript: decorators are applied as functions (Node 20 has no decorator syntax).
//
// Usage: node bench/app.mjs <kind> <port> <jwksBase> <tenant> [optionsJson]
//   kind: none | hanko | passport | jose | noop / noop-sync (guard returning true, async / sync) | floor (minimal sync verifier)
//         | raw (bare node:http, to measure the load generator's ceiling)
//   tenant: path prefix on the key server, so it can count this process's key fetches
//   optionsJson: extra HankoAuthModule options (hanko only), e.g. {"keys":{"prefetch":false}}
// Prints `READY {json}` once listening on 127.0.0.1:<port>.
import 'reflect-metadata';
import { createPublicKey, verify as cryptoVerify } from 'node:crypto';
import { createServer } from 'node:http';
import { Controller, Get, Injectable, Module, Req, UnauthorizedException, UseGuards } from '@nestjs/common';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import { AuthGuard, PassportModule, PassportStrategy } from '@nestjs/passport';
import { ExpressAdapter } from '@nestjs/platform-express';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import jwksRsa from 'jwks-rsa';
import passportJwt from 'passport-jwt';
import { pathToFileURL } from 'node:url';
import { AUDIENCE, HOST, exitWithParent } from './common.mjs';

const [kind, portArg, jwksBase, tenant, optionsJson] = process.argv.slice(2);
const port = Number(portArg);
if (
  !['none', 'hanko', 'passport', 'jose', 'noop', 'noop-sync', 'floor', 'raw'].includes(kind) ||
  !Number.isInteger(port) ||
  !jwksBase ||
  !tenant
) {
  throw new Error('usage: app.mjs <none|hanko|passport|jose|noop|noop-sync|floor|raw> <port> <jwksBase> <tenant> [optionsJson]');
}
// BENCH_LIB (set by run.mjs for BENCH_AB_DIST variants): another build of the library, for A/B runs.
const { HankoAuthModule } = await import(process.env.BENCH_LIB ? pathToFileURL(process.env.BENCH_LIB).href : '../dist/index.js');
const apiUrl = `${jwksBase}/${tenant}`;
const jwksUri = `${apiUrl}/.well-known/jwks.json`;

/** The same tiny handler for every variant: who is calling, as JSON. */
function helloController(guard) {
  class HelloController {
    hello(req) {
      const user = req.user;
      return { id: user?.id ?? user?.sub ?? 'anonymous' };
    }
  }
  Get('hello')(HelloController.prototype, 'hello', Object.getOwnPropertyDescriptor(HelloController.prototype, 'hello'));
  Req()(HelloController.prototype, 'hello', 0);
  if (guard) UseGuards(guard)(HelloController);
  Controller()(HelloController);
  return HelloController;
}

function module(metadata) {
  class AppModule {}
  Module(metadata)(AppModule);
  return AppModule;
}

function noGuardModule() {
  return module({ controllers: [helloController()] });
}

/** This library, as an app would use it: forRoot with the global guard (the default). */
function hankoModule() {
  const extra = optionsJson ? JSON.parse(optionsJson) : {};
  return module({ imports: [HankoAuthModule.forRoot({ apiUrl, audience: AUDIENCE, ...extra })], controllers: [helloController()] });
}

/** The usual NestJS recipe: passport-jwt with jwks-rsa's passportJwtSecret, AuthGuard('jwt'). */
function passportModule() {
  class JwtStrategy extends PassportStrategy(passportJwt.Strategy, 'jwt') {
    constructor() {
      super({
        secretOrKeyProvider: jwksRsa.passportJwtSecret({ jwksUri, cache: true, rateLimit: true, jwksRequestsPerMinute: 5 }),
        jwtFromRequest: passportJwt.ExtractJwt.fromAuthHeaderAsBearerToken(),
        audience: AUDIENCE,
        algorithms: ['RS256'],
      });
    }
    validate(payload) {
      return payload;
    }
  }
  Injectable()(JwtStrategy);
  return module({ imports: [PassportModule], providers: [JwtStrategy], controllers: [helloController(AuthGuard('jwt'))] });
}

/** A hand-written guard over jose: createRemoteJWKSet (caches parsed keys) + jwtVerify. */
function joseModule() {
  const jwks = createRemoteJWKSet(new URL(jwksUri));
  class JoseGuard {
    async canActivate(context) {
      const req = context.switchToHttp().getRequest();
      const match = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
      if (!match) throw new UnauthorizedException();
      try {
        const { payload } = await jwtVerify(match[1], jwks, { audience: AUDIENCE, algorithms: ['RS256'] });
        req.user = payload;
        return true;
      } catch {
        throw new UnauthorizedException();
      }
    }
  }
  Injectable()(JoseGuard);
  return module({ controllers: [helloController()], providers: [{ provide: APP_GUARD, useClass: JoseGuard }] });
}

/**
 * Diagnostic: the cost of having any global guard at all in Nest's pipeline. Nest 12 awaits a
 * guard's result only when it is not a plain boolean, so the async and the sync form differ.
 */
function noopGuardModule() {
  class NoopGuard {}
  NoopGuard.prototype.canActivate =
    kind === 'noop-sync'
      ? function canActivate() {
          return true;
        }
      : function canActivate() {
          return Promise.resolve(true);
        };
  Injectable()(NoopGuard);
  return module({ controllers: [helloController()], providers: [{ provide: APP_GUARD, useClass: NoopGuard }] });
}

/**
 * Diagnostic, not a recipe: the least work any verifier on the event loop must do for a token it
 * has not seen: split, decode header and payload, one RSA signature check with a KeyObject parsed
 * at boot, `aud` and `exp`. No pre-check, no claim policy, no library. Its throughput with distinct
 * tokens is the ceiling for any design that verifies on the event loop, on this machine.
 */
async function floorModule() {
  const response = await fetch(jwksUri);
  const keys = new Map((await response.json()).keys.map((jwk) => [jwk.kid, createPublicKey({ key: jwk, format: 'jwk' })]));
  class FloorGuard {
    canActivate(context) {
      const req = context.switchToHttp().getRequest();
      const match = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
      if (!match) throw new UnauthorizedException();
      const [header, payload, signature] = match[1].split('.');
      try {
        const { alg, kid } = JSON.parse(Buffer.from(header, 'base64url').toString());
        const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
        const key = keys.get(kid);
        const valid =
          alg === 'RS256' &&
          key !== undefined &&
          cryptoVerify('sha256', Buffer.from(`${header}.${payload}`), key, Buffer.from(signature, 'base64url')) &&
          claims.exp > Date.now() / 1000 &&
          (claims.aud === AUDIENCE || (Array.isArray(claims.aud) && claims.aud.includes(AUDIENCE)));
        if (valid) {
          req.user = { id: claims.sub };
          return true;
        }
      } catch {
        // malformed: refused below
      }
      throw new UnauthorizedException();
    }
  }
  Injectable()(FloorGuard);
  return module({ controllers: [helloController()], providers: [{ provide: APP_GUARD, useClass: FloorGuard }] });
}

if (kind === 'raw') {
  // Not Nest: the cheapest HTTP server Node has, so autocannon's own limit shows.
  const body = JSON.stringify({ id: 'anonymous' });
  const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(body));
  exitWithParent(() => server.close());
  await new Promise((resolve) => server.listen(port, HOST, resolve));
  process.stdout.write(`READY ${JSON.stringify({ kind, port, tenant, pid: process.pid })}\n`);
} else {
  await startNest();
}

async function startNest() {
  const AppModule = await {
    none: noGuardModule,
    hanko: hankoModule,
    passport: passportModule,
    jose: joseModule,
    noop: noopGuardModule,
    'noop-sync': noopGuardModule,
    floor: floorModule,
  }[kind]();
  const app = await NestFactory.create(AppModule, new ExpressAdapter(), { logger: ['error', 'warn'] });
  exitWithParent(() => void app.close());
  await app.listen(port, HOST);
  process.stdout.write(`READY ${JSON.stringify({ kind, port, tenant, pid: process.pid })}\n`);
}
