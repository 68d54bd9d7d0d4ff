import { HankoUnavailableException } from './hanko-unavailable.exception.js';
export function hankoRefusalPayload(exception) {
    const body = exception.getResponse();
    const { message, error } = typeof body === 'object' ? body : { message: body, error: undefined };
    return {
        statusCode: exception.getStatus(),
        message: typeof message === 'string' ? message : exception.message,
        ...(typeof error === 'string' ? { error } : {}),
        ...(exception instanceof HankoUnavailableException ? { retryAfter: exception.retryAfter } : {}),
    };
}
//# sourceMappingURL=hanko-transport.payload.js.map