import { Injectable, type CanActivate, type ExecutionContext, type HttpException, type Type } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { HankoAuthConfig } from './hanko-auth.config.js';
import { getHankoRequest, getHankoResponse, type HankoRequest } from './context/hanko-request.context.js';
import { setHankoHeaders } from './context/hanko-request.types.js';
import { getHankoWsRequest, wsConnectionContext } from './context/hanko-ws.context.js';
import { HANKO_PUBLIC_KEY } from './decorators/public.decorator.js';
import { HANKO_REQUIREMENTS_KEY, type HankoRequirement } from './decorators/require.decorator.js';
import { HankoForbiddenException } from './errors/hanko-forbidden.exception.js';
import { withGraphqlExtensions } from './errors/hanko-graphql.error.js';
import { exceptionForFailure } from './errors/hanko-failure.exception.js';
import { toTransportException } from './errors/hanko-transport.exception.js';
import { HankoUnauthorizedException } from './errors/hanko-unauthorized.exception.js';
import { HankoUnavailableException } from './errors/hanko-unavailable.exception.js';
import { HankoAuthenticator, type HankoFailure, type HankoOutcome } from './hanko.authenticator.js';
import type { HankoUser } from './session/hanko-user.js';

interface RoutePolicy {
  readonly isPublic: boolean;
  readonly requirements: readonly HankoRequirement[];
}

/**
 * Requires a live Hanko session unless the handler or its class is `@Public()`, in controllers,
 * resolvers and gateways alike; microservice handlers, which carry no credentials we read, only
 * when public. Extend it and override the protected methods to change where requests come from or
 * how a refusal is answered.
 */
@Injectable()
export class HankoGuard implements CanActivate {
  /** Route metadata never changes after bootstrap: read it once per handler, not per request. */
  private readonly policies = new WeakMap<object, WeakMap<object, RoutePolicy>>();
  /** An overridden isPublic()/requirements() may depend on the request: then it is asked every time. */
  private readonly policiesAreStatic =
    this.isPublic === HankoGuard.prototype.isPublic && this.requirements === HankoGuard.prototype.requirements;

  constructor(
    protected readonly reflector: Reflector,
    protected readonly authenticator: HankoAuthenticator,
    protected readonly config: HankoAuthConfig,
  ) {}

  // Not async: whenever the authenticator answers synchronously (any token whose key is cached,
  // with revocation off) a granted request gets a plain boolean, which spares Nest's guard runner
  // its awaits.
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const { isPublic, requirements } = this.policyFor(context);
    const request = this.getRequest(context);
    if (request === undefined) {
      // A transport we cannot read must never fail open; requirements imply a session there too.
      if (isPublic && requirements.length === 0) return true;
      return this.reject(context, this.refuse(context, 'missing'));
    }
    // The authenticator keeps the outcome on the request for as long as it stays true (a WebSocket
    // connection's request, or an app's GraphQL context `req`, may be asked many times).
    const outcome = this.authenticator.authenticate(request);
    return outcome instanceof Promise
      ? outcome.then((settled) => this.decide(context, settled, isPublic, requirements))
      : this.decide(context, outcome, isPublic, requirements);
  }

  private decide(
    context: ExecutionContext,
    outcome: HankoOutcome,
    isPublic: boolean,
    requirements: readonly HankoRequirement[],
  ): boolean | Promise<boolean> {
    if (outcome.user === undefined) {
      // Requirements imply authentication, even on a public route.
      if (isPublic && requirements.length === 0) return true;
      return this.reject(context, this.refuse(context, outcome.failure));
    }
    // Most routes have no requirements: answer without building the closure below.
    if (requirements.length === 0) return true;
    const user = outcome.user;
    const unmet = requirements.find((requirement) => !passes(requirement, user));
    if (unmet !== undefined) return this.reject(context, this.forbid(context, unmet));
    return true;
  }

  private async reject(context: ExecutionContext, exception: HttpException): Promise<never> {
    throw await this.toTransportError(context, exception);
  }

  /**
   * Authenticates a WebSocket connection from its handshake, for a gateway's `handleConnection()`
   * or a socket.io middleware; the connection's messages then reuse the outcome. With the `ws`
   * adapter pass the upgrade request (handleConnection's second argument): a `ws` client does not
   * keep it, and its messages are refused until it is known. Resolves to the user; rejects with
   * the WsException a refused message would get.
   */
  async authenticateConnection(
    client: object,
    upgradeRequest?: { headers?: Record<string, string | string[] | undefined> },
  ): Promise<HankoUser> {
    // Registers the handshake first (a `ws` client keeps none), then asks getRequest() like every
    // message does, so an override that reads the token elsewhere holds for the handshake too.
    getHankoWsRequest(client, upgradeRequest);
    const request = this.getRequest(wsConnectionContext(client, this.constructor as Type));
    const outcome: HankoOutcome = request === undefined ? { failure: 'missing' } : await this.authenticator.authenticate(request);
    if (outcome.user === undefined) throw await toTransportException('ws', this.exceptionFor(outcome.failure));
    return outcome.user;
  }

  /** Class-level rules first, then the handler's; all must hold. */
  protected requirements(context: ExecutionContext): readonly HankoRequirement[] {
    return this.reflector
      .getAll<(HankoRequirement[] | undefined)[]>(HANKO_REQUIREMENTS_KEY, [context.getClass(), context.getHandler()])
      .flatMap((r) => r ?? []);
  }

  protected forbid(context: ExecutionContext, requirement: HankoRequirement): HttpException {
    const exception = new HankoForbiddenException(requirement.description, this.config.realm);
    this.writeHeaders(context, exception.getHeaders());
    return exception;
  }

  private policyFor(context: ExecutionContext): RoutePolicy {
    if (!this.policiesAreStatic) return { isPublic: this.isPublic(context), requirements: this.requirements(context) };
    let byClass = this.policies.get(context.getClass());
    if (byClass === undefined) {
      byClass = new WeakMap<object, RoutePolicy>();
      this.policies.set(context.getClass(), byClass);
    }
    let policy = byClass.get(context.getHandler());
    if (policy === undefined) {
      policy = { isPublic: this.isPublic(context), requirements: this.requirements(context) };
      byClass.set(context.getHandler(), policy);
    }
    return policy;
  }

  protected isPublic(context: ExecutionContext): boolean {
    return this.reflector.getAllAndOverride<boolean | undefined>(HANKO_PUBLIC_KEY, [context.getHandler(), context.getClass()]) === true;
  }

  /** The request to authenticate (HTTP, GraphQL, WebSocket), or undefined for a context this guard cannot read. */
  protected getRequest(context: ExecutionContext): HankoRequest | undefined {
    return getHankoRequest(context);
  }

  /** The exception for a refused request; the challenge headers are written to the response here. */
  protected refuse(context: ExecutionContext, failure: HankoFailure): HttpException {
    const exception = this.exceptionFor(failure);
    this.writeHeaders(context, exception.getHeaders());
    return exception;
  }

  private exceptionFor(failure: HankoFailure): HankoUnauthorizedException | HankoUnavailableException {
    return exceptionForFailure(failure, this.config.realm);
  }

  /**
   * A refusal in the form the transport delivers: HTTP as it is; GraphQL with an `extensions.code`
   * (UNAUTHENTICATED, FORBIDDEN, SERVICE_UNAVAILABLE); gateways a WsException and microservices an
   * RpcException, since their exception handlers turn anything else into "Internal server error".
   */
  protected async toTransportError(context: ExecutionContext, exception: HttpException): Promise<Error> {
    const transport = context.getType<string>();
    if (transport === 'graphql') return withGraphqlExtensions(exception);
    if (transport === 'ws' || transport === 'rpc') return toTransportException(transport, exception);
    return exception;
  }

  /** Challenge headers on the response, where the transport has one (HTTP, GraphQL over HTTP). */
  protected writeHeaders(context: ExecutionContext, headers: Record<string, string>): void {
    setHankoHeaders(getHankoResponse(context), headers);
  }
}

/** A rule that throws (e.g. reads a claim the token lacks) is a rule not met: 403, not 500. */
function passes(requirement: HankoRequirement, user: HankoUser): boolean {
  try {
    return requirement.test(user) === true;
  } catch {
    return false;
  }
}
