/** Broker failures on the transient / terminal split: a refused login or a missing queue is terminal. */
import { ConfigError, type EtlError, SourceNotFoundError, TransientError } from '../../../shared/errors.ts';

export function amqpError(error: unknown, what: string): EtlError {
  const message = error instanceof Error ? error.message : String(error);
  if (/ACCESS_REFUSED|403/.test(message))
    return new ConfigError(`${what}: access refused (check the user and the secret)`);
  if (/NOT_FOUND|404/.test(message)) return new SourceNotFoundError(`${what}: ${message}`);
  return new TransientError(`${what}: ${message}`, { cause: error });
}
