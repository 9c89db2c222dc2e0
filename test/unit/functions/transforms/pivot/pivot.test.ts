import { describe, expect, it } from 'vitest';
import { pivotModule } from '../../../../../functions/transforms/pivot/module.ts';

const parse = (config: unknown) => pivotModule.configSchema.parse(config);

describe('pivotModule.checkConfig', () => {
  it('accepts a count without an expression', async () => {
    expect(
      await pivotModule.checkConfig?.(
        parse({ column: 'weather', values: ['rain', 'sun'], aggregate: 'count' }),
      ),
    ).toStrictEqual([]);
  });

  it('fails on a missing expression, a names list of the wrong length and clashing output names', async () => {
    const config = parse({ group_by: ['rain'], column: 'weather', values: ['rain', 'sun'], names: ['wet'] });

    expect(await pivotModule.checkConfig?.(config)).toStrictEqual([
      { path: ['expression'], message: 'sum needs an expression' },
      { path: ['names'], message: 'needs one name per value (2)' },
    ]);
    const clash = parse({ group_by: ['Rain'], column: 'weather', values: ['rain'], aggregate: 'count' });
    expect(await pivotModule.checkConfig?.(clash)).toStrictEqual([
      { path: ['values'], message: 'two output columns would be named "rain"' },
    ]);
  });
});
