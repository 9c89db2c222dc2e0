import { describe, expect, it } from 'vitest';
import { redactSecret } from '../../../../shared/secrets/redact.ts';

describe('redactSecret', () => {
  it('replaces every occurrence of the secret', () => {
    expect(redactSecret('a hunter22 b hunter22', 'hunter22')).toBe('a *** b ***');
  });

  it('leaves text alone without a secret, or with one too short to hide', () => {
    expect(redactSecret('abc', undefined)).toBe('abc');
    expect(redactSecret('a b c', 'b')).toBe('a b c');
  });
});
