export { HankoTestIssuer } from './hanko-test-issuer.js';
export type { HankoTestIssuerOptions } from './hanko-test-issuer.js';
export { HankoTestKeyRing } from './hanko-test-issuer.keys.js';
export type { HankoTestKey, HankoTestTokenOptions, SignOptions } from './hanko-test-issuer.keys.js';
export { HankoTestIssuerInProductionError } from './hanko-test-issuer.error.js';
export { deliverHankoWebhook, sessionOf, signHankoWebhook } from './hanko-test-webhooks.js';
export type { DeliverHankoWebhookOptions, HankoTestSession, HankoWebhookTokenOptions } from './hanko-test-webhooks.js';
