export declare const HANKO_PUBLIC_KEY = "HANKO:PUBLIC";
/**
 * Opens a handler or a whole controller to requests without a session. A valid token there still
 * yields `@CurrentUser()`; an invalid one is ignored (optional authentication).
 */
export declare const Public: () => MethodDecorator & ClassDecorator;
