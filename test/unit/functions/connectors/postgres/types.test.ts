import { describe, expect, it } from 'vitest';
import { postgresColumn } from '../../../../../functions/connectors/postgres/types.ts';

function field(dataTypeID: number, dataTypeModifier = -1) {
  return { name: 'c', dataTypeID, dataTypeModifier };
}

describe('postgresColumn', () => {
  it.each([
    [16, -1, 'BOOLEAN'],
    [20, -1, 'BIGINT'],
    [701, -1, 'DOUBLE'],
    [1184, -1, 'TIMESTAMP WITH TIME ZONE'],
    [1114, -1, 'TIMESTAMP'],
    [3802, -1, 'JSON'],
    [2950, -1, 'UUID'],
    // Parquet has no negative intervals: kept as text.
    [1186, -1, 'VARCHAR'],
    // numeric(12,2): typmod = (12 << 16 | 2) + 4
    [1700, ((12 << 16) | 2) + 4, 'DECIMAL(12,2)'],
    // Unconstrained, or wider than DuckDB's 38 digits: kept exact as text.
    [1700, -1, 'VARCHAR'],
    [1700, ((50 << 16) | 2) + 4, 'VARCHAR'],
    [1007, -1, 'INTEGER[]'],
    [1231, ((10 << 16) | 3) + 4, 'DECIMAL(10,3)[]'],
    // An enum, inet or any type without a faithful match: its text.
    [869, -1, 'VARCHAR'],
  ])('maps OID %i (modifier %i) to %s', (oid, modifier, type) => {
    expect(postgresColumn(field(oid, modifier)).column.type).toBe(type);
  });

  it('carries bytea as bytes decoded from hex output', () => {
    const { column, convert } = postgresColumn(field(17));

    expect(column.carrier).toBe('BLOB');
    expect(convert('\\x01ff')).toStrictEqual(Buffer.from([1, 255]));
  });

  it('carries a one-dimensional array as a JSON array of element texts, quotes and NULLs kept', () => {
    const { column, convert } = postgresColumn(field(1009));

    expect(convert('{a,"b,c",NULL,"d\\"e"}')).toBe('["a","b,c",null,"d\\"e"]');
    expect(column.cast?.('c0')).toBe('CAST(CAST(c0 AS JSON) AS VARCHAR[])');
  });
});
