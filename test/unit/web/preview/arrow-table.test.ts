import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { decodePreview, displayValue } from '../../../../web/src/preview/arrow-table.ts';

describe('decodePreview', () => {
  it('reads an Arrow IPC stream into typed columns and display rows', () => {
    const table = tableFromArrays({
      airport: ['PORTLAND INTL (OR)', 'SALEM'],
      cost: new Float64Array([1250.5, 0]),
      strikes: new Int32Array([3, 1]),
    });

    const preview = decodePreview(tableToIPC(table, 'stream'));

    expect(preview.columns).toStrictEqual([
      { name: 'airport', type: 'Dictionary<Int32, Utf8>' },
      { name: 'cost', type: 'Float64' },
      { name: 'strikes', type: 'Int32' },
    ]);
    expect(preview.rows).toStrictEqual([
      ['PORTLAND INTL (OR)', '1250.5', '3'],
      ['SALEM', '0', '1'],
    ]);
  });
});

describe('displayValue', () => {
  it('keeps NULL apart from empty text, and writes dates and big integers exactly', () => {
    expect(displayValue(null)).toBe('NULL');
    expect(displayValue('')).toBe('');
    expect(displayValue(new Date(Date.UTC(1997, 2, 12)))).toBe('1997-03-12T00:00:00.000Z');
    expect(displayValue(9007199254740993n)).toBe('9007199254740993');
    expect(displayValue({ n: 2n })).toBe('{"n":"2"}');
  });
});
