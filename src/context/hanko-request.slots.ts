/** Where the guard leaves its work on a request; symbols, so nothing else can collide or forge them. */
export const HANKO_USER = Symbol('nestjs-hanko-auth:user');
export const HANKO_OUTCOME = Symbol('nestjs-hanko-auth:outcome');
export const HANKO_TOKEN = Symbol('nestjs-hanko-auth:token');
