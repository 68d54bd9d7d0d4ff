export { HankoTestIssuer } from './hanko-test-issuer.js';
//# sourceMappingURL=index.js.map