/** A variable of the environment that cannot be used; the message names it and says what it must be. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}
