/** Thrown at bootstrap when an option of HankoAuthModule is missing or malformed. */
export class HankoConfigurationError extends Error {
    option;
    constructor(option, problem) {
        super(`HankoAuthModule: ${option} ${problem}`);
        this.option = option;
        this.name = 'HankoConfigurationError';
    }
}
//# sourceMappingURL=hanko-configuration.error.js.map