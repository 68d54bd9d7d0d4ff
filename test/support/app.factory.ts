import 'reflect-metadata';
import { Module, type DynamicModule, type INestApplication, type LoggerService, type Type } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test, type TestingModule } from '@nestjs/testing';
import { HankoAuthModule, HankoGuard } from '../../src/index.js';
import { HankoKeySource } from '../../src/keys/hanko-key.source.js';

export type AdapterName = 'express' | 'fastify';
export const ADAPTERS: AdapterName[] = ['express', 'fastify'];

/** The two doors into the same checks: the module's own guard, and Passport's with the module's strategy. */
export type GuardName = 'HankoGuard' | "AuthGuard('hanko')";
export const GUARDS: GuardName[] = ['HankoGuard', "AuthGuard('hanko')"];
/** Every adapter through every door, for describe.each: `[adapter, guard]`. */
export const DOORS: [AdapterName, GuardName][] = ADAPTERS.flatMap((adapter) =>
  GUARDS.map((guard): [AdapterName, GuardName] => [adapter, guard]),
);

@Module({})
class PassportGlobalGuardModule {
  static forStrategy(name: string): DynamicModule {
    return { module: PassportGlobalGuardModule, providers: [{ provide: APP_GUARD, useClass: AuthGuard(name) }] };
  }
}

/**
 * HankoAuthModule.forRoot(options) with `guard` as the app's global guard: HankoGuard as the module
 * registers it, or @nestjs/passport's AuthGuard(strategyName) instead (HankoGuard then not global).
 */
export function hankoAuth(guard: GuardName, options: Parameters<typeof HankoAuthModule.forRoot>[0]): Array<DynamicModule | Type> {
  if (guard === 'HankoGuard') return [HankoAuthModule.forRoot(options)];
  return [
    HankoAuthModule.forRoot({ ...options, globalGuard: false }),
    PassportGlobalGuardModule.forStrategy(options.strategyName ?? 'hanko'),
  ];
}

/** Collects every log line so tests can assert on them (and that no token ever appears). */
export class CapturingLogger implements LoggerService {
  readonly lines: { level: string; message: string }[] = [];
  private push(level: string, message: unknown, rest: unknown[]) {
    this.lines.push({ level, message: [message, ...rest].map(String).join(' ') });
  }
  log(message: unknown, ...rest: unknown[]) {
    this.push('log', message, rest);
  }
  error(message: unknown, ...rest: unknown[]) {
    this.push('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]) {
    this.push('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]) {
    this.push('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]) {
    this.push('verbose', message, rest);
  }
  text(): string {
    return this.lines.map((l) => `${l.level} ${l.message}`).join('\n');
  }
}

export interface StartedApp {
  app: INestApplication;
  logger: CapturingLogger;
  url: string;
  lines(): { level: string; message: string }[];
}

/**
 * Boots a real Nest application on 127.0.0.1 with the given adapter; requests go over real HTTP.
 * `setup` runs before listening (e.g. to pick a WebSocket adapter or connect a microservice).
 */
export async function startApp(
  adapter: AdapterName,
  imports: Array<DynamicModule | Type>,
  controllers: Type[],
  setup?: (app: INestApplication) => void | Promise<void>,
): Promise<StartedApp> {
  const moduleRef = await Test.createTestingModule({ imports, controllers }).compile();
  const logger = new CapturingLogger();
  const app =
    adapter === 'express'
      ? moduleRef.createNestApplication(new ExpressAdapter(), { logger })
      : moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger });
  app.useLogger(logger);
  await setup?.(app);
  await app.listen(0, '127.0.0.1');
  // Client and app share one event loop here. When the machine stalls it (RSA-4096 signing, GC) for
  // longer than Node's 5 s keep-alive timeout, the client may send its next request on a socket whose
  // server-side timer is already overdue: the server then closes it with that request unread
  // (ECONNRESET, "fetch failed"). A long server timeout keeps such stalls from turning into resets.
  const server = app.getHttpServer() as { keepAliveTimeout: number };
  server.keepAliveTimeout = 60_000;
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return { app, logger, url, lines: () => logger.lines };
}

/**
 * The module without HTTP, for calling HankoGuard directly with hand-built execution contexts:
 * compiled, bootstrapped, and with its key set fetched, so nothing waits on the first fetch.
 */
export async function bootGuard(imports: Array<DynamicModule | Type>): Promise<{ moduleRef: TestingModule; guard: HankoGuard }> {
  const moduleRef = await Test.createTestingModule({ imports }).compile();
  await moduleRef.init();
  await moduleRef.get(HankoKeySource).refresh();
  return { moduleRef, guard: moduleRef.get(HankoGuard) };
}

/** fetch against the app; returns status, headers and parsed JSON (or text), typed as the caller expects it (`Body`). */
export async function call<Body = unknown>(
  url: string,
  path: string,
  init: { token?: string; headers?: Record<string, string>; cookie?: string } = {},
): Promise<{ status: number; headers: Headers; body: Body; text: string }> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`;
  if (init.cookie !== undefined) headers.cookie = init.cookie;
  const response = await fetch(`${url}${path}`, { headers });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: response.status, headers: response.headers, body: body as Body, text };
}
