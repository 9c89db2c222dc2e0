import { describe, expect, it } from 'vitest';
import { windowKernel } from '../../../../../functions/transforms/window/kernel.ts';
import { windowModule } from '../../../../../functions/transforms/window/module.ts';
import type { ColumnInfo } from '../../../../../shared/modules/kernels.ts';

const WEATHER: ColumnInfo[] = [
  { name: 'location', type: 'VARCHAR' },
  { name: 'date', type: 'DATE' },
  { name: 'temp_max', type: 'DOUBLE' },
];
const parse = (config: unknown) => windowModule.configSchema.parse(config);

describe('windowModule.checkConfig', () => {
  it('fails when lag or a running aggregate has no expression, pointing at it', async () => {
    const config = parse({
      functions: [
        { name: 'n', function: 'running_count' },
        { name: 'prev', function: 'lag' },
        { name: 'total', function: 'running_sum', expression: 'temp_max +' },
      ],
    });

    const issues = await windowModule.checkConfig?.(config);

    expect(issues?.map((issue) => issue.path)).toStrictEqual([
      ['functions', 1, 'expression'],
      ['functions', 2, 'expression'],
    ]);
    expect(issues?.[0]?.message).toBe('lag needs an expression');
  });
});

describe('windowKernel', () => {
  it('partitions by the named columns, or sends every row to one bucket', () => {
    expect(
      windowKernel.partitionKey(
        parse({ partition_by: ['LOCATION'], functions: [{ name: 'n', function: 'row_number' }] }),
        0,
        WEATHER,
      ),
    ).toBe('"location"');
    expect(
      windowKernel.partitionKey(parse({ functions: [{ name: 'n', function: 'row_number' }] }), 0, WEATHER),
    ).toBeUndefined();
  });

  it('breaks ties in input order for row_number but not for rank', async () => {
    const config = parse({
      partition_by: ['location'],
      order_by: [{ expression: 'temp_max', descending: true }],
      functions: [
        { name: 'rn', function: 'row_number' },
        { name: 'rk', function: 'rank' },
      ],
    });

    const query = await windowKernel.reduce({
      config,
      connection: undefined as never,
      inputColumns: [WEATHER],
    });

    expect(query).toContain(
      'row_number() OVER (PARTITION BY "location" ORDER BY (temp_max\n) DESC NULLS LAST, _etl_chunk, _etl_row)',
    );
    expect(query).toContain('rank() OVER (PARTITION BY "location" ORDER BY (temp_max\n) DESC NULLS LAST)');
  });

  it('fails when an output name is already an input column', async () => {
    const config = parse({ functions: [{ name: 'Date', function: 'row_number' }] });

    await expect(
      windowKernel.reduce({ config, connection: undefined as never, inputColumns: [WEATHER] }),
    ).rejects.toThrow('window: functions[0].name "Date" is already an input column; choose another name');
  });
});
