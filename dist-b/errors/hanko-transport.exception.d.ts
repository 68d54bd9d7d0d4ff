import type { HttpException } from '@nestjs/common';
type Transport = 'ws' | 'rpc';
/**
 * The refusal as the transport's exception, whose error is `{ status: 'error', ...payload }` (Nest's
 * usual `{ status, message }` shape, plus statusCode, error and retryAfter). Should the package not
 * load, the HttpException itself is returned: the client sees a generic error, but it is refused all the same.
 */
export declare function toTransportException(transport: Transport, exception: HttpException): Promise<Error>;
export {};
