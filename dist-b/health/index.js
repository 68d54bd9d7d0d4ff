export { HankoHealthIndicator } from './hanko.health.js';
//# sourceMappingURL=index.js.map