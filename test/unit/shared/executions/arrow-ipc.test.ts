/** A preview encoded as an Arrow IPC stream reads back with the same columns, values and nulls. */
import { tableFromIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { toArrowIpc } from '../../../../shared/executions/arrow-ipc.ts';

describe('toArrowIpc', () => {
  it('keeps 64-bit integers exact, decimals and dates as text, and nulls as nulls', () => {
    const result = {
      columns: [
        { name: 'id', type: 'BIGINT' },
        { name: 'ok', type: 'BOOLEAN' },
        { name: 'ratio', type: 'DOUBLE' },
        { name: 'price', type: 'DECIMAL(18,2)' },
        { name: 'day', type: 'DATE' },
        { name: 'tags', type: 'VARCHAR[]' },
      ],
      rows: [
        { id: '9007199254740993', ok: true, ratio: 0.5, price: '12.30', day: '2024-05-01', tags: ['a', 'b'] },
        { id: null, ok: null, ratio: null, price: null, day: null, tags: null },
      ],
    };

    const table = tableFromIPC(toArrowIpc(result));

    expect(table.numRows).toBe(2);
    expect(table.schema.fields.map((field) => [field.name, String(field.type)])).toStrictEqual([
      ['id', 'Int64'],
      ['ok', 'Bool'],
      ['ratio', 'Float64'],
      ['price', 'Utf8'],
      ['day', 'Utf8'],
      ['tags', 'Utf8'],
    ]);
    expect(table.get(0)?.toJSON()).toStrictEqual({
      id: 9007199254740993n,
      ok: true,
      ratio: 0.5,
      price: '12.30',
      day: '2024-05-01',
      tags: '["a","b"]',
    });
    expect(Object.values(table.get(1)?.toJSON() ?? {})).toStrictEqual([null, null, null, null, null, null]);
  });

  it('encodes a result with no rows, keeping its columns', () => {
    const table = tableFromIPC(toArrowIpc({ columns: [{ name: 'n', type: 'INTEGER' }], rows: [] }));

    expect(table.numRows).toBe(0);
    expect(table.schema.fields.map((field) => field.name)).toStrictEqual(['n']);
  });
});
