import { SetMetadata } from '@nestjs/common';
export const HANKO_PUBLIC_KEY = 'HANKO:PUBLIC';
/**
 * Opens a handler or a whole controller to requests without a session. A valid token there still
 * yields `@CurrentUser()`; an invalid one is ignored (optional authentication).
 */
export const Public = () => SetMetadata(HANKO_PUBLIC_KEY, true);
//# sourceMappingURL=public.decorator.js.map