import { Injectable, type CanActivate, type ExecutionContext, type HttpException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { HankoAuthConfig } from './hanko-auth.config.js';
import { getHankoRequest, type HankoRequest } from './context/hanko-request.context.js';
import { HANKO_PUBLIC_KEY } from './decorators/public.decorator.js';
import { HANKO_REQUIREMENTS_KEY, type HankoRequirement } from './decorators/require.decorator.js';
import { HankoForbiddenException } from './errors/hanko-forbidden.exception.js';
import { HankoTokenRefusal } from './errors/hanko-refusal.reason.js';
import { HankoUnauthorizedException } from './errors/hanko-unauthorized.exception.js';
import { HankoUnavailableException } from './errors/hanko-unavailable.exception.js';
import { HankoAuthenticator, type HankoFailure } from './hanko.authenticator.js';

interface RoutePolicy {
  readonly isPublic: boolean;
  readonly requirements: readonly HankoRequirement[];
}

interface HeaderWriter {
  header?: (name: string, value: string) => unknown;
  setHeader?: (name: string, value: string) => unknown;
}

/**
 * Requires a live Hanko session unless the handler or its class is `@Public()`.
 * Extend it and override the protected methods to change where requests come from or how a
 * refusal is answered.
 */
@Injectable()
export class HankoGuard implements CanActivate {
  /** Route metadata never changes after bootstrap: read it once per handler, not per request. */
  private readonly policies = new WeakMap<object, WeakMap<object, RoutePolicy>>();

  constructor(
    protected readonly reflector: Reflector,
    protected readonly authenticator: HankoAuthenticator,
    protected readonly config: HankoAuthConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const { isPublic, requirements } = this.policyFor(context);
    const request = this.getRequest(context);
    if (request === undefined) {
      // A transport we cannot read must never fail open.
      if (isPublic) return true;
      throw new HankoUnauthorizedException(undefined, this.config.realm);
    }
    const outcome = await this.authenticator.authenticate(request);
    if (outcome.user === undefined) {
      // Requirements imply authentication, even on a public route.
      if (isPublic && requirements.length === 0) return true;
      throw this.refuse(context, outcome.failure);
    }
    const unmet = requirements.find((requirement) => !requirement.test(outcome.user));
    if (unmet !== undefined) throw this.forbid(context, unmet);
    return true;
  }

  /** Class-level rules first, then the handler's; all must hold. */
  protected requirements(context: ExecutionContext): readonly HankoRequirement[] {
    return this.reflector.getAll<(HankoRequirement[] | undefined)[]>(HANKO_REQUIREMENTS_KEY, [context.getClass(), context.getHandler()]).flatMap((r) => r ?? []);
  }

  protected forbid(context: ExecutionContext, requirement: HankoRequirement): HttpException {
    const exception = new HankoForbiddenException(requirement.description, this.config.realm);
    this.writeHeaders(context, exception.getHeaders());
    return exception;
  }

  private policyFor(context: ExecutionContext): RoutePolicy {
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

  /** The request to authenticate, or undefined for a context this guard cannot read. */
  protected getRequest(context: ExecutionContext): HankoRequest | undefined {
    return getHankoRequest(context);
  }

  /** The exception for a refused request; the challenge headers are written to the response here. */
  protected refuse(context: ExecutionContext, failure: HankoFailure): HttpException {
    const exception =
      failure === 'missing'
        ? new HankoUnauthorizedException(undefined, this.config.realm)
        : failure instanceof HankoTokenRefusal
          ? new HankoUnauthorizedException(failure.reason, this.config.realm)
          : new HankoUnavailableException(failure.retryAfter);
    this.writeHeaders(context, exception.getHeaders());
    return exception;
  }

  protected writeHeaders(context: ExecutionContext, headers: Record<string, string>): void {
    if (context.getType() !== 'http') return;
    const response = context.switchToHttp().getResponse<HeaderWriter | undefined>();
    for (const [name, value] of Object.entries(headers)) {
      // Express and Fastify both have header(); a bare Node response has setHeader().
      if (typeof response?.header === 'function') response.header(name, value);
      else if (typeof response?.setHeader === 'function') response.setHeader(name, value);
    }
  }
}
