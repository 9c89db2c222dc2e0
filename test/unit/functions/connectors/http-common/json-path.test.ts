import { describe, expect, it } from 'vitest';
import {
  parseJsonPath,
  readJsonPath,
  readRecords,
} from '../../../../../functions/connectors/http-common/json-path.ts';
import { ConfigError } from '../../../../../shared/errors.ts';

describe('parseJsonPath', () => {
  it('reads $, dotted keys, indexes and quoted keys', () => {
    expect(parseJsonPath('$')).toStrictEqual([]);
    expect(parseJsonPath('$.data.items')).toStrictEqual(['data', 'items']);
    expect(parseJsonPath('$.pages[2].next')).toStrictEqual(['pages', 2, 'next']);
    expect(parseJsonPath("$['odd key'].x")).toStrictEqual(['odd key', 'x']);
    expect(parseJsonPath('data.items')).toStrictEqual(['data', 'items']);
  });

  it('fails when the path uses wildcards or filters', () => {
    expect(() => parseJsonPath('$.items[*]')).toThrow(ConfigError);
    expect(() => parseJsonPath('$..id')).toThrow(/not supported/);
  });
});

describe('readJsonPath', () => {
  const body = { data: { items: [{ id: 1 }, { id: 2 }], next: null }, 'a b': 3 };

  it('returns the value at the path', () => {
    expect(readJsonPath(body, '$.data.items[1].id')).toBe(2);
    expect(readJsonPath(body, "$['a b']")).toBe(3);
    expect(readJsonPath(body, '$')).toBe(body);
    expect(readJsonPath(body, '$.data.next')).toBeNull();
  });

  it('returns undefined for missing steps instead of throwing', () => {
    expect(readJsonPath(body, '$.data.missing.deeper')).toBeUndefined();
    expect(readJsonPath(body, '$.data.items[5]')).toBeUndefined();
    expect(readJsonPath(body, '$.data.items.id')).toBeUndefined();
    expect(readJsonPath(null, '$.x')).toBeUndefined();
    expect(readJsonPath({}, '$.constructor')).toBeUndefined();
  });
});

describe('readRecords', () => {
  it('takes arrays as is, one object as one record, absent as none', () => {
    expect(readRecords({ d: [1, 2] }, '$.d')).toStrictEqual([1, 2]);
    expect(readRecords({ d: { id: 1 } }, '$.d')).toStrictEqual([{ id: 1 }]);
    expect(readRecords({}, '$.d')).toStrictEqual([]);
  });

  it('fails when the path points at a scalar', () => {
    expect(() => readRecords({ d: 'x' }, '$.d')).toThrow(/not an array of records/);
  });
});
