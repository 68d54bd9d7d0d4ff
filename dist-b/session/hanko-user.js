export {};
//# sourceMappingURL=hanko-user.js.map