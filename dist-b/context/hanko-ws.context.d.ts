import { type HankoTokenCarrier } from '../token/hanko-token.extractor.js';
import { type HankoRequest } from './hanko-request.types.js';
/**
 * The request a WebSocket connection authenticates with: the handshake's `Authorization: Bearer`
 * header, else the token of socket.io's handshake auth payload (`io(url, { auth: { token } })`,
 * what a browser can send), else the cookie. A socket.io client carries its handshake; a `ws`
 * client does not, so its upgrade request must be handed over once, at connection time (see
 * HankoGuard.authenticateConnection). Undefined when neither is known: such a client is refused.
 */
export declare function getHankoWsRequest(client: unknown, upgradeRequest?: HankoTokenCarrier): HankoRequest | undefined;
