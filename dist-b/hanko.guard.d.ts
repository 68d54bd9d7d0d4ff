import { type CanActivate, type ExecutionContext, type HttpException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { HankoAuthConfig } from './hanko-auth.config.js';
import { type HankoRequest } from './context/hanko-request.context.js';
import { type HankoRequirement } from './decorators/require.decorator.js';
import { HankoAuthenticator, type HankoFailure } from './hanko.authenticator.js';
import type { HankoUser } from './session/hanko-user.js';
/**
 * Requires a live Hanko session unless the handler or its class is `@Public()`, in controllers,
 * resolvers and gateways alike; microservice handlers, which carry no credentials we read, only
 * when public. Extend it and override the protected methods to change where requests come from or
 * how a refusal is answered.
 */
export declare class HankoGuard implements CanActivate {
    protected readonly reflector: Reflector;
    protected readonly authenticator: HankoAuthenticator;
    protected readonly config: HankoAuthConfig;
    /** Route metadata never changes after bootstrap: read it once per handler, not per request. */
    private readonly policies;
    constructor(reflector: Reflector, authenticator: HankoAuthenticator, config: HankoAuthConfig);
    canActivate(context: ExecutionContext): boolean | Promise<boolean>;
    private decide;
    private reject;
    /**
     * Authenticates a WebSocket connection from its handshake, for a gateway's `handleConnection()`
     * or a socket.io middleware; the connection's messages then reuse the outcome. With the `ws`
     * adapter pass the upgrade request (handleConnection's second argument): a `ws` client does not
     * keep it, and its messages are refused until it is known. Resolves to the user; rejects with
     * the WsException a refused message would get.
     */
    authenticateConnection(client: object, upgradeRequest?: {
        headers?: Record<string, string | string[] | undefined>;
    }): Promise<HankoUser>;
    /** Class-level rules first, then the handler's; all must hold. */
    protected requirements(context: ExecutionContext): readonly HankoRequirement[];
    protected forbid(context: ExecutionContext, requirement: HankoRequirement): HttpException;
    private policyFor;
    protected isPublic(context: ExecutionContext): boolean;
    /** The request to authenticate (HTTP, GraphQL, WebSocket), or undefined for a context this guard cannot read. */
    protected getRequest(context: ExecutionContext): HankoRequest | undefined;
    /**
     * The authenticator's outcome, kept on the request. An HTTP request lives for one call; a
     * WebSocket connection's request lives as long as the connection, so what is kept must stay true:
     * a user until their token's `exp` (then it is verified again, and refused once expired beyond
     * the clock tolerance) and, with revocation on, for at most `revocation.cacheTtl` (so a revoked
     * session stops within that time, as over HTTP); a refusal for good (the handshake cannot
     * change); a Hanko outage not at all (the next message asks again instead of failing until reconnect).
     */
    private authenticate;
    private keep;
    private recheckAt;
    /** The exception for a refused request; the challenge headers are written to the response here. */
    protected refuse(context: ExecutionContext, failure: HankoFailure): HttpException;
    private exceptionFor;
    /**
     * A refusal in the form the transport delivers: HTTP as it is; GraphQL with an `extensions.code`
     * (UNAUTHENTICATED, FORBIDDEN, SERVICE_UNAVAILABLE); gateways a WsException and microservices an
     * RpcException, since their exception handlers turn anything else into "Internal server error".
     */
    protected toTransportError(context: ExecutionContext, exception: HttpException): Promise<Error>;
    /** Challenge headers on the response, where the transport has one (HTTP, GraphQL over HTTP). */
    protected writeHeaders(context: ExecutionContext, headers: Record<string, string>): void;
}
