import type { HttpException } from '@nestjs/common';
import { HankoUnavailableException } from './hanko-unavailable.exception.js';

/**
 * What a client of a transport without HTTP responses (GraphQL errors, gateways, microservices)
 * learns of a refusal: the same status, phrase and retry hint an HTTP client gets in its status
 * line, body and headers. Built from the HttpException, so each transport says the same thing.
 */
export interface HankoRefusalPayload {
  readonly statusCode: number;
  /** Our fixed phrase (`token expired`, …) or Nest's default (`Unauthorized`); never a library's message. */
  readonly message: string;
  /** `Unauthorized`, `Forbidden`, `Service Unavailable` when there is a phrase in `message`. */
  readonly error?: string;
  /** Seconds, for a 503. */
  readonly retryAfter?: number;
}

export function hankoRefusalPayload(exception: HttpException): HankoRefusalPayload {
  const body = exception.getResponse();
  const { message, error } =
    typeof body === 'object' ? (body as { message?: unknown; error?: unknown }) : { message: body, error: undefined };
  return {
    statusCode: exception.getStatus(),
    message: typeof message === 'string' ? message : exception.message,
    ...(typeof error === 'string' ? { error } : {}),
    ...(exception instanceof HankoUnavailableException ? { retryAfter: exception.retryAfter } : {}),
  };
}
