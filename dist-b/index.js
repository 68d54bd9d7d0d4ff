export { HankoAuthModule } from './hanko-auth.module.js';
export { HankoGuard } from './hanko.guard.js';
export { Public } from './decorators/public.decorator.js';
export { CurrentUser } from './decorators/current-user.decorator.js';
export { RequireAmr, RequireClaims, RequireHanko, RequireVerifiedEmail } from './decorators/require.decorator.js';
export { HankoUnauthorizedException } from './errors/hanko-unauthorized.exception.js';
export { HankoForbiddenException } from './errors/hanko-forbidden.exception.js';
export { HankoUnavailableException } from './errors/hanko-unavailable.exception.js';
export { HankoConfigurationError } from './errors/hanko-configuration.error.js';
//# sourceMappingURL=index.js.map