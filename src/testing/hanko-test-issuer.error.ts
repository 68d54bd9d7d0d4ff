/**
 * Thrown when a HankoTestIssuer is created under `NODE_ENV=production`: it signs a valid session
 * for any claims it is asked for, so an app that trusted one in production (e.g. a dev fallback
 * left on) would hand out sessions to anyone who can reach it.
 */
export class HankoTestIssuerInProductionError extends Error {
  constructor() {
    super(
      'HankoTestIssuer refuses to start under NODE_ENV=production: it mints valid sessions for anyone; use it in tests and local development only',
    );
    this.name = 'HankoTestIssuerInProductionError';
  }
}
