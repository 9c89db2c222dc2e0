import { describe, expect, it } from 'vitest';
import { type MysqlField, mysqlColumn } from '../../../../../functions/connectors/mysql/types.ts';

function field(overrides: Partial<MysqlField>): MysqlField {
  return { name: 'c', decimals: 0, flags: 0, characterSet: 224, ...overrides };
}

describe('mysqlColumn', () => {
  it.each([
    [{ columnType: 246, columnLength: 12, decimals: 4 }, 'DECIMAL(10,4)'],
    [{ columnType: 246, columnLength: 11, decimals: 2, flags: 32 }, 'DECIMAL(10,2)'],
    [{ columnType: 246, columnLength: 67, decimals: 30 }, 'VARCHAR'],
    [{ columnType: 8, flags: 32 }, 'UBIGINT'],
    [{ columnType: 3 }, 'INTEGER'],
    [{ columnType: 4 }, 'FLOAT'],
    [{ columnType: 12 }, 'TIMESTAMP'],
    [{ columnType: 7 }, 'TIMESTAMP WITH TIME ZONE'],
    [{ columnType: 11 }, 'VARCHAR'],
    [{ columnType: 245 }, 'JSON'],
    [{ columnType: 252, extendedFormat: 'json' }, 'JSON'],
    [{ columnType: 252, characterSet: 63 }, 'BLOB'],
    [{ columnType: 253 }, 'VARCHAR'],
    [{ columnType: 16 }, 'UBIGINT'],
  ])('maps %j to %s', (overrides, type) => {
    expect(mysqlColumn(field(overrides)).column.type).toBe(type);
  });

  it('reads zero dates as NULL and TIMESTAMP text as UTC', () => {
    const { column, convert } = mysqlColumn(field({ columnType: 7 }));

    expect(convert('0000-00-00 00:00:00')).toBeNull();
    expect(convert('2024-01-01 10:00:00.5')).toBe('2024-01-01 10:00:00.5');
    expect(column.cast?.('c0')).toBe("CAST(c0 || '+00' AS TIMESTAMPTZ)");
  });

  it('reads BIT(n) bytes as an unsigned number', () => {
    expect(mysqlColumn(field({ columnType: 16 })).convert(Buffer.from([0x01, 0x02]))).toBe('258');
  });

  it('keeps numbers the driver hands over as their text', () => {
    expect(mysqlColumn(field({ columnType: 5 })).convert(0.1)).toBe('0.1');
  });
});
