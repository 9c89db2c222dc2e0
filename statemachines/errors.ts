/**
 * Errors of the translator. Retrying cannot fix a pipeline that does not
 * translate, so they are terminal; each carries every problem found at once.
 */
import { TerminalError } from '../shared/errors.ts';

export class TranslationError extends TerminalError {
  override readonly name = 'TranslationError';
  readonly problems: readonly string[];

  constructor(problems: readonly string[], options?: { cause?: unknown }) {
    super(
      problems.length === 1 ? String(problems[0]) : `${problems.length} problems: ${problems.join('; ')}`,
      options,
    );
    this.problems = problems;
  }
}
