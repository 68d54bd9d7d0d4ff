export { HankoTestIssuer } from './hanko-test-issuer.js';
export type { HankoTestIssuerOptions, HankoTestKey, SignOptions } from './hanko-test-issuer.js';
export { HankoTestIssuerInProductionError } from './hanko-test-issuer.error.js';
