export { HankoTestIssuer } from './hanko-test-issuer.js';
export type { HankoTestIssuerOptions, HankoTestKey, SignOptions } from './hanko-test-issuer.js';
