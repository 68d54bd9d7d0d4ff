/** Thrown at bootstrap when an option of HankoAuthModule is missing or malformed. */
export class HankoConfigurationError extends Error {
  constructor(
    readonly option: string,
    problem: string,
  ) {
    super(`HankoAuthModule: ${option} ${problem}`);
    this.name = 'HankoConfigurationError';
  }
}
