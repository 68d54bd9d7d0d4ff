/** Transports hand us `unknown`s: anything that is not an object is "nothing to read". */
export function asObject(value) {
    return value !== null && typeof value === 'object' ? value : undefined;
}
//# sourceMappingURL=hanko-request.types.js.map