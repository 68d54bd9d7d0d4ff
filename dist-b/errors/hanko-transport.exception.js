import { hankoRefusalPayload } from './hanko-transport.payload.js';
/**
 * Gateways and microservices hand a client only their own exception (WsException, RpcException);
 * anything else reaches it as "Internal server error". Their packages are optional peers, so the
 * class is imported when a handler of that transport is first refused, never before, from the
 * app's own copy: the class its exception filters match.
 */
const loaders = {
    ws: () => import('@nestjs/websockets').then((m) => m.WsException),
    rpc: () => import('@nestjs/microservices').then((m) => m.RpcException),
};
const loaded = new Map();
function exceptionClass(transport) {
    let found = loaded.get(transport);
    if (found === undefined) {
        found = loaders[transport]().catch(() => undefined);
        loaded.set(transport, found);
    }
    return found;
}
/**
 * The refusal as the transport's exception, whose error is `{ status: 'error', ...payload }` (Nest's
 * usual `{ status, message }` shape, plus statusCode, error and retryAfter). Should the package not
 * load, the HttpException itself is returned: the client sees a generic error, but it is refused all the same.
 */
export async function toTransportException(transport, exception) {
    const Exception = await exceptionClass(transport);
    if (Exception === undefined)
        return exception;
    const payload = { status: 'error', ...hankoRefusalPayload(exception) };
    const refusal = new Exception(payload);
    // Passed to a socket.io middleware's next(), an error reaches the client's connect_error with its `data`.
    return transport === 'ws' ? Object.assign(refusal, { data: payload }) : refusal;
}
//# sourceMappingURL=hanko-transport.exception.js.map