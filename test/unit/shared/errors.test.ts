import { describe, expect, it } from 'vitest';
import { boundedMessage, MAX_ERROR_MESSAGE_CHARS } from '../../../shared/errors.ts';

describe('boundedMessage', () => {
  it('leaves a message within the limit as it is', () => {
    const message = 'x'.repeat(MAX_ERROR_MESSAGE_CHARS);
    expect(boundedMessage(message)).toBe(message);
  });

  it('cuts the middle of a longer one, keeping what and where at the start and why at the end', () => {
    const message = `where: line 7\nOriginal Line: ${'y'.repeat(2_000_000)}\nwhy: line too long`;
    const bounded = boundedMessage(message, 100);

    expect(bounded.startsWith('where: line 7\nOriginal Line: yyy')).toBe(true);
    expect(bounded.endsWith('yyy\nwhy: line too long')).toBe(true);
    expect(bounded).toContain(`[... ${message.length - 100} characters cut ...]`);
    expect(bounded.length).toBeLessThan(150);
  });
});
