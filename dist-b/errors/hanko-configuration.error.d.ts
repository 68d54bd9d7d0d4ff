/** Thrown at bootstrap when an option of HankoAuthModule is missing or malformed. */
export declare class HankoConfigurationError extends Error {
    readonly option: string;
    constructor(option: string, problem: string);
}
