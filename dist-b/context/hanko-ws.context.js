import { BEARER_SCHEME } from '../token/hanko-token.extractor.js';
import { asObject } from './hanko-request.types.js';
/**
 * One request per connection, keyed by the client object (socket.io Socket or `ws` WebSocket), so
 * the guard's outcome is reused by every message of the connection instead of verifying the token
 * again. A WeakMap: it goes away with the client, and nothing of ours is added to the client.
 */
const connections = new WeakMap();
/**
 * The request a WebSocket connection authenticates with: the handshake's `Authorization: Bearer`
 * header, else the token of socket.io's handshake auth payload (`io(url, { auth: { token } })`,
 * what a browser can send), else the cookie. A socket.io client carries its handshake; a `ws`
 * client does not, so its upgrade request must be handed over once, at connection time (see
 * HankoGuard.authenticateConnection). Undefined when neither is known: such a client is refused.
 */
export function getHankoWsRequest(client, upgradeRequest) {
    const key = asObject(client);
    if (key === undefined)
        return undefined;
    const known = connections.get(key);
    if (known !== undefined)
        return known;
    const handshake = asObject(key)?.handshake;
    const headers = asObject(upgradeRequest?.headers ?? handshake?.headers);
    if (headers === undefined)
        return undefined;
    const request = { headers: { ...headers, authorization: authorization(headers.authorization, handshake?.auth?.token) } };
    connections.set(key, request);
    return request;
}
/** The Bearer header if there is one (it wins, as over HTTP), else the auth payload's token as a Bearer header. */
function authorization(header, payloadToken) {
    // Several Authorization headers stay as they are: the extractor refuses them as ambiguous.
    const headerIsBearer = Array.isArray(header) || (typeof header === 'string' && BEARER_SCHEME.test(header));
    if (headerIsBearer || typeof payloadToken !== 'string' || payloadToken === '')
        return header;
    // "Bearer <jwt>" or the bare token; the extractor then applies its usual rules to either.
    return BEARER_SCHEME.test(payloadToken) ? payloadToken : `Bearer ${payloadToken}`;
}
//# sourceMappingURL=hanko-ws.context.js.map