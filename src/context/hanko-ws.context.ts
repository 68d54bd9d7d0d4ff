import type { ContextType, ExecutionContext, Type } from '@nestjs/common';
import { BEARER_SCHEME, type HankoTokenCarrier } from '../token/hanko-token.extractor.js';
import { HANKO_HANDSHAKE } from './hanko-request.slots.js';
import { asObject, type HankoRequest } from './hanko-request.types.js';

/** The parts of a socket.io Socket we read. */
interface SocketIoClient {
  handshake?: { headers?: unknown; auth?: { token?: unknown } };
  /** The upgrade (or first polling) request: Node's raw header list. */
  request?: { rawHeaders?: unknown };
}

/**
 * One request per connection, keyed by the client object (socket.io Socket or `ws` WebSocket), so
 * the guard's outcome is reused by every message of the connection instead of verifying the token
 * again. A WeakMap: it goes away with the client, and nothing of ours is added to the client.
 */
const connections = new WeakMap<object, HankoRequest>();

/**
 * The request a WebSocket connection authenticates with: the handshake's `Authorization: Bearer`
 * header, else the token of socket.io's handshake auth payload (`io(url, { auth: { token } })`,
 * what a browser can send), else the cookie. A socket.io client carries its handshake; a `ws`
 * client does not, so its upgrade request must be handed over once, at connection time (see
 * HankoGuard.authenticateConnection). Undefined when neither is known: such a client is refused.
 */
export function getHankoWsRequest(client: unknown, upgradeRequest?: HankoTokenCarrier): HankoRequest | undefined {
  const key = asObject<object>(client);
  if (key === undefined) return undefined;
  const known = connections.get(key);
  if (known !== undefined) return known;
  const socketIo = asObject<SocketIoClient>(key);
  const handshake = socketIo?.handshake;
  const headers = asObject<Record<string, string | string[] | undefined>>(upgradeRequest?.headers ?? handshake?.headers);
  if (headers === undefined) return undefined;
  const rawHeaders = upgradeRequest !== undefined ? upgradeRequest.rawHeaders : socketIo?.request?.rawHeaders;
  const request: HankoRequest = {
    headers: { ...headers, authorization: authorization(headers.authorization, handshake?.auth?.token) },
    // Kept so that several Authorization headers in the handshake are refused, as over HTTP.
    rawHeaders: Array.isArray(rawHeaders) ? (rawHeaders as string[]) : undefined,
    // A browser sends the cookie with a handshake any page opens: the extractor checks its Origin.
    [HANKO_HANDSHAKE]: true,
  };
  connections.set(key, request);
  return request;
}

/** The Bearer header if there is one (it wins, as over HTTP), else the auth payload's token as a Bearer header. */
function authorization(header: string | string[] | undefined, payloadToken: unknown): string | string[] | undefined {
  // Several Authorization headers stay as they are: the extractor refuses them as ambiguous.
  const headerIsBearer = Array.isArray(header) || (typeof header === 'string' && BEARER_SCHEME.test(header));
  if (headerIsBearer || typeof payloadToken !== 'string' || payloadToken === '') return header;
  // "Bearer <jwt>" or the bare token; the extractor then applies its usual rules to either.
  return BEARER_SCHEME.test(payloadToken) ? payloadToken : `Bearer ${payloadToken}`;
}

/** Stands for the handshake in a connection context: a function without route metadata. */
function connectionHandshake(): void {}

/**
 * The execution context of a connection being authenticated (no message yet): type `ws`, the
 * client as `getClient()`, no data. What an overridden `HankoGuard.getRequest()` is asked with from
 * `authenticateConnection()`; `getClass()` is the guard's class, `getHandler()` a function that
 * carries no route metadata (there is no handler yet).
 */
export function wsConnectionContext(client: object, guardClass: Type): ExecutionContext {
  // Positional like Nest's own contexts: a gateway's arguments are (client, data).
  const args: unknown[] = [client, undefined];
  const at = <T>(index: number) => args[index] as T;
  return {
    getType: <T extends string = ContextType>() => 'ws' as T,
    getArgs: <T extends unknown[] = unknown[]>() => args as T,
    getArgByIndex: at,
    getClass: <T = unknown>() => guardClass as Type<T>,
    getHandler: () => connectionHandshake,
    switchToWs: () => ({ getClient: () => at(0), getData: () => at(1), getPattern: () => '' }),
    switchToHttp: () => ({ getRequest: () => at(0), getResponse: () => at(1), getNext: () => at(2) }),
    switchToRpc: () => ({ getData: () => at(0), getContext: () => at(1) }),
  };
}
