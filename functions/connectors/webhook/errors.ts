/**
 * A failed batch keeps its class (transient stays retryable by Step
 * Functions, whose Retry matches the class name) and gains where it failed.
 */
import { EtlError } from '../../../shared/errors.ts';

export function inBatch(error: unknown, where: string): unknown {
  if (!(error instanceof EtlError)) return error;
  const copy = Object.create(Object.getPrototypeOf(error) as object) as EtlError;
  Object.assign(copy, error);
  // Writable like any Error's own message: the handler redacts messages in place.
  Object.defineProperty(copy, 'message', {
    value: `${where}: ${error.message}`,
    writable: true,
    configurable: true,
  });
  Object.defineProperty(copy, 'cause', { value: error, writable: true, configurable: true });
  return copy;
}
