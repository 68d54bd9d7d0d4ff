export { HankoHealthIndicator } from './hanko.health.js';
