var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata = (this && this.__metadata) || function (k, v) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
import { Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { HankoAuthConfig } from './hanko-auth.config.js';
import { getHankoRequest, getHankoResponse } from './context/hanko-request.context.js';
import { authenticatedUser, HANKO_OUTCOME, HANKO_RECHECK_AT } from './context/hanko-request.slots.js';
import { getHankoWsRequest } from './context/hanko-ws.context.js';
import { HANKO_PUBLIC_KEY } from './decorators/public.decorator.js';
import { HANKO_REQUIREMENTS_KEY } from './decorators/require.decorator.js';
import { HankoForbiddenException } from './errors/hanko-forbidden.exception.js';
import { withGraphqlExtensions } from './errors/hanko-graphql.error.js';
import { HankoTokenRefusal, HankoUpstreamUnavailable } from './errors/hanko-refusal.reason.js';
import { toTransportException } from './errors/hanko-transport.exception.js';
import { HankoUnauthorizedException } from './errors/hanko-unauthorized.exception.js';
import { HankoUnavailableException } from './errors/hanko-unavailable.exception.js';
import { HankoAuthenticator } from './hanko.authenticator.js';
/**
 * Requires a live Hanko session unless the handler or its class is `@Public()`, in controllers,
 * resolvers and gateways alike; microservice handlers, which carry no credentials we read, only
 * when public. Extend it and override the protected methods to change where requests come from or
 * how a refusal is answered.
 */
let HankoGuard = class HankoGuard {
    reflector;
    authenticator;
    config;
    /** Route metadata never changes after bootstrap: read it once per handler, not per request. */
    policies = new WeakMap();
    constructor(reflector, authenticator, config) {
        this.reflector = reflector;
        this.authenticator = authenticator;
        this.config = config;
    }
    // Not async: when the outcome is already known (a cached token) the answer is a plain boolean,
    // which spares Nest's guard runner its awaits on the hottest path.
    canActivate(context) {
        const { isPublic, requirements } = this.policyFor(context);
        const request = this.getRequest(context);
        if (request === undefined) {
            // A transport we cannot read must never fail open; requirements imply a session there too.
            if (isPublic && requirements.length === 0)
                return true;
            return this.reject(context, this.refuse(context, 'missing'));
        }
        const outcome = this.authenticate(request, context.getType() === 'ws');
        return outcome instanceof Promise
            ? outcome.then((settled) => this.decide(context, settled, isPublic, requirements))
            : this.decide(context, outcome, isPublic, requirements);
    }
    decide(context, outcome, isPublic, requirements) {
        if (outcome.user === undefined) {
            // Requirements imply authentication, even on a public route.
            if (isPublic && requirements.length === 0)
                return true;
            return this.reject(context, this.refuse(context, outcome.failure));
        }
        const user = outcome.user;
        const unmet = requirements.find((requirement) => !passes(requirement, user));
        if (unmet !== undefined)
            return this.reject(context, this.forbid(context, unmet));
        return true;
    }
    async reject(context, exception) {
        throw await this.toTransportError(context, exception);
    }
    /**
     * Authenticates a WebSocket connection from its handshake, for a gateway's `handleConnection()`
     * or a socket.io middleware; the connection's messages then reuse the outcome. With the `ws`
     * adapter pass the upgrade request (handleConnection's second argument): a `ws` client does not
     * keep it, and its messages are refused until it is known. Resolves to the user; rejects with
     * the WsException a refused message would get.
     */
    async authenticateConnection(client, upgradeRequest) {
        const request = getHankoWsRequest(client, upgradeRequest);
        const outcome = request === undefined ? { failure: 'missing' } : await this.authenticate(request, true);
        if (outcome.user === undefined)
            throw await toTransportException('ws', this.exceptionFor(outcome.failure));
        return outcome.user;
    }
    /** Class-level rules first, then the handler's; all must hold. */
    requirements(context) {
        return this.reflector.getAll(HANKO_REQUIREMENTS_KEY, [context.getClass(), context.getHandler()]).flatMap((r) => r ?? []);
    }
    forbid(context, requirement) {
        const exception = new HankoForbiddenException(requirement.description, this.config.realm);
        this.writeHeaders(context, exception.getHeaders());
        return exception;
    }
    policyFor(context) {
        let byClass = this.policies.get(context.getClass());
        if (byClass === undefined) {
            byClass = new WeakMap();
            this.policies.set(context.getClass(), byClass);
        }
        let policy = byClass.get(context.getHandler());
        if (policy === undefined) {
            policy = { isPublic: this.isPublic(context), requirements: this.requirements(context) };
            byClass.set(context.getHandler(), policy);
        }
        return policy;
    }
    isPublic(context) {
        return this.reflector.getAllAndOverride(HANKO_PUBLIC_KEY, [context.getHandler(), context.getClass()]) === true;
    }
    /** The request to authenticate (HTTP, GraphQL, WebSocket), or undefined for a context this guard cannot read. */
    getRequest(context) {
        return getHankoRequest(context);
    }
    /**
     * The authenticator's outcome, kept on the request. An HTTP request lives for one call; a
     * WebSocket connection's request lives as long as the connection, so what is kept must stay true:
     * a user until their token's `exp` (then it is verified again, and refused once expired beyond
     * the clock tolerance) and, with revocation on, for at most `revocation.cacheTtl` (so a revoked
     * session stops within that time, as over HTTP); a refusal for good (the handshake cannot
     * change); a Hanko outage not at all (the next message asks again instead of failing until reconnect).
     */
    authenticate(request, longLived) {
        // An HTTP request lives for one call: nothing to recheck, and no bookkeeping on its object.
        if (!longLived)
            return this.authenticator.authenticate(request);
        const recheckAt = request[HANKO_RECHECK_AT];
        if (recheckAt !== undefined && recheckAt <= Date.now())
            forgetOutcome(request);
        const outcome = this.authenticator.authenticate(request);
        return outcome instanceof Promise ? outcome.then((settled) => this.keep(request, settled)) : this.keep(request, outcome);
    }
    keep(request, outcome) {
        if (outcome.failure instanceof HankoUpstreamUnavailable)
            forgetOutcome(request);
        else if (outcome.user !== undefined && request[HANKO_RECHECK_AT] === undefined)
            request[HANKO_RECHECK_AT] = this.recheckAt(outcome.user);
        return outcome;
    }
    recheckAt(user) {
        const expiry = user.claims.exp * 1000;
        const revocation = this.config.revocation;
        return revocation === false ? expiry : Math.min(expiry, Date.now() + revocation.cacheTtl * 1000);
    }
    /** The exception for a refused request; the challenge headers are written to the response here. */
    refuse(context, failure) {
        const exception = this.exceptionFor(failure);
        this.writeHeaders(context, exception.getHeaders());
        return exception;
    }
    exceptionFor(failure) {
        return failure === 'missing'
            ? new HankoUnauthorizedException(undefined, this.config.realm)
            : failure instanceof HankoTokenRefusal
                ? new HankoUnauthorizedException(failure.reason, this.config.realm)
                : new HankoUnavailableException(failure.retryAfter);
    }
    /**
     * A refusal in the form the transport delivers: HTTP as it is; GraphQL with an `extensions.code`
     * (UNAUTHENTICATED, FORBIDDEN, SERVICE_UNAVAILABLE); gateways a WsException and microservices an
     * RpcException, since their exception handlers turn anything else into "Internal server error".
     */
    async toTransportError(context, exception) {
        const transport = context.getType();
        if (transport === 'graphql')
            return withGraphqlExtensions(exception);
        if (transport === 'ws' || transport === 'rpc')
            return toTransportException(transport, exception);
        return exception;
    }
    /** Challenge headers on the response, where the transport has one (HTTP, GraphQL over HTTP). */
    writeHeaders(context, headers) {
        const response = getHankoResponse(context);
        for (const [name, value] of Object.entries(headers)) {
            // Express and Fastify both have header(); a bare Node response has setHeader().
            if (typeof response?.header === 'function')
                response.header(name, value);
            else if (typeof response?.setHeader === 'function')
                response.setHeader(name, value);
        }
    }
};
HankoGuard = __decorate([
    Injectable(),
    __metadata("design:paramtypes", [Reflector,
        HankoAuthenticator,
        HankoAuthConfig])
], HankoGuard);
export { HankoGuard };
/** Drops a kept outcome, so the request is authenticated again. */
function forgetOutcome(request) {
    if (request.user !== undefined && request.user === authenticatedUser(request))
        delete request.user;
    delete request[HANKO_OUTCOME];
    delete request[HANKO_RECHECK_AT];
}
/** A rule that throws (e.g. reads a claim the token lacks) is a rule not met: 403, not 500. */
function passes(requirement, user) {
    try {
        return requirement.test(user) === true;
    }
    catch {
        return false;
    }
}
//# sourceMappingURL=hanko.guard.js.map