import { ServiceUnavailableException } from '@nestjs/common';

/**
 * 503 with Retry-After: Hanko could not be asked and nothing cached can answer. Deliberately not a 401,
 * which would make a frontend log a user out because Hanko had a hiccup.
 */
export class HankoUnavailableException extends ServiceUnavailableException {
  constructor(readonly retryAfter: number) {
    super('authentication temporarily unavailable');
  }

  getHeaders(): Record<string, string> {
    return { 'Retry-After': String(Math.max(1, Math.ceil(this.retryAfter))) };
  }
}
