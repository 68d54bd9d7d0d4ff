export {};
//# sourceMappingURL=hanko-auth.options.js.map