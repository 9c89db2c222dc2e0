/** Errors of the idempotency guard, typed so the state machine retries what can pass later. */
import { TerminalError, TransientError } from '../errors.ts';

/**
 * Another delivery of the same effect holds the record and has not finished.
 * Transient: once it finishes, a retry gets its stored result; if it died,
 * its record lapses when that Lambda's time would have run out.
 * The name stays `TransientError` on purpose: the translator's Retry matches
 * error names (shared/errors.ts TRANSIENT_ERROR_NAMES), and this one must be
 * retried exactly like any transient error.
 */
export class EffectInProgressError extends TransientError {}

/** The effect key or the stored result is unusable: the same event would fail the same way. */
export class EffectKeyError extends TerminalError {
  override readonly name = 'EffectKeyError';
}
