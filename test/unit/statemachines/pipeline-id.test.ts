import { describe, expect, it } from 'vitest';
import { pipelineIdOf, slugOfName } from '../../../statemachines/pipeline-id.ts';

describe('slugOfName', () => {
  it.each([
    ['Daily Sales', 'daily-sales'],
    ['  Ventes journalières (EU) ', 'ventes-journalieres-eu'],
    ['2024 report', 'p-2024-report'],
    ['***', 'pipeline'],
    ['a'.repeat(63) + ' b', 'a'.repeat(63)],
  ])('slugs %j as %j', (name, slug) => {
    expect(slugOfName(name)).toBe(slug);
  });

  it('always yields a valid pipeline identifier', () => {
    for (const name of ['Daily Sales', '2024', '€€€', `${'x-'.repeat(40)}y`, 'Émile & Co.']) {
      expect(slugOfName(name)).toMatch(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/);
    }
  });
});

describe('pipelineIdOf', () => {
  it('prefers the declared id', () => {
    expect(pipelineIdOf({ id: 'sales-v2', name: 'Daily Sales' })).toBe('sales-v2');
    expect(pipelineIdOf({ name: 'Daily Sales' })).toBe('daily-sales');
  });
});
