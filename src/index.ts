export { HankoAuthModule } from './hanko-auth.module.js';
export { HankoGuard } from './hanko.guard.js';
export { Public } from './decorators/public.decorator.js';
export { CurrentUser } from './decorators/current-user.decorator.js';
export { RequireAmr, RequireClaims, RequireHanko, RequireVerifiedEmail } from './decorators/require.decorator.js';
export type { HankoRequirement } from './decorators/require.decorator.js';
export type { HankoUser, HankoUserEmail, HankoSessionClaims, HankoEmailClaim } from './session/hanko-user.js';
export type {
  HankoAuthOptions,
  HankoKeyOptions,
  HankoTokenCacheOptions,
  HankoRevocationOptions,
  HankoWebSocketOptions,
} from './hanko-auth.options.js';
export type { HankoAuthModuleExtras } from './hanko-auth.module-definition.js';
export { HankoTokenExtractor } from './token/hanko-token.extractor.js';
export type { HankoTokenCarrier } from './token/hanko-token.extractor.js';
export { HankoUnauthorizedException } from './errors/hanko-unauthorized.exception.js';
export { HankoForbiddenException } from './errors/hanko-forbidden.exception.js';
export { HankoUnavailableException } from './errors/hanko-unavailable.exception.js';
export { HankoConfigurationError } from './errors/hanko-configuration.error.js';
export type { HankoRefusalReason } from './errors/hanko-refusal.reason.js';
