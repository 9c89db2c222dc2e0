/**
 * How a JSON chunk's fields differ from the schema its plan inferred from
 * the file's first chunk: fields the plan never saw, and fields whose values
 * the planned type would not hold as they are. DuckDB reads a JSON value into
 * any type it can cast to without a word: 1.5 into BIGINT becomes 2, `true`
 * becomes 1, `"yes"` or 5 into BOOLEAN become true. A chunk doing so would
 * change data silently, so it counts as schema drift instead.
 *
 * Both checks read the chunk with DuckDB's JSON reader rather than JSON
 * functions per value: splitting every record into its members cost 9 times
 * the extraction itself on a 23 MB chunk (750 against 82 ms).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows } from '../../../shared/duckdb/engine.ts';
import { sqlIdent, sqlString } from '../../../shared/duckdb/sql.ts';
import { INTEGER_TYPES } from '../../../shared/duckdb/types.ts';
import type { ColumnInfo } from '../../../shared/modules/kernels.ts';
import { type JsonLayout, jsonRecords, readJsonRelation } from './json-options.ts';

/** Fields a record has that the plan's columns lack: reading with fixed columns would drop them silently. */
export async function unknownFields(
  connection: DuckDBConnection,
  path: string,
  layout: JsonLayout,
  planned: readonly ColumnInfo[],
): Promise<string[]> {
  const known = planned.map((column) => sqlString(column.name)).join(', ');
  const rows = await queryRows(
    connection,
    `SELECT DISTINCT unnest(json_keys(json)) AS field FROM (${jsonRecords(path, layout)})` +
      (known ? ` EXCEPT SELECT unnest([${known}])` : ''),
  );
  return rows.map((row) => String(row.field)).sort();
}

/**
 * SQL true when `text`, a value read as VARCHAR (DuckDB's JSON text of a
 * number, boolean, object or array; a string's own text), would be changed
 * by reading it as `type`; undefined for types that take values as they are
 * or refuse them with an error (text, dates, nested types).
 */
function changedBy(type: string, text: string): string | undefined {
  const number = `TRY_CAST(${text} AS DOUBLE)`;
  if (INTEGER_TYPES.has(type))
    return `(${text} IS NOT NULL AND (${number} IS NULL OR ${number} <> trunc(${number})))`;
  if (type === 'FLOAT' || type === 'DOUBLE' || type.startsWith('DECIMAL'))
    return `(${text} IS NOT NULL AND ${number} IS NULL)`;
  if (type === 'BOOLEAN') return `(${text} NOT IN ('true', 'false'))`;
  return undefined;
}

/** The first value of a field its planned type would change, and its record within the chunk (from 1). */
export interface ChangedValue {
  readonly field: string;
  readonly type: string;
  readonly record: number;
  readonly value: string;
}

/**
 * The first value per planned field that reading the chunk with the plan's
 * types would change. Declared fields are the user's choice of type and are
 * not second-guessed. One read of the checked fields as text; only when one
 * drifts, a second finds where.
 */
export async function valuesChangedByType(
  connection: DuckDBConnection,
  path: string,
  layout: JsonLayout,
  planned: readonly ColumnInfo[],
  declared: ReadonlySet<string>,
): Promise<ChangedValue[]> {
  const checks = planned.flatMap((column) => {
    const test = declared.has(column.name) ? undefined : changedBy(column.type, sqlIdent(column.name));
    return test === undefined ? [] : [{ column, test }];
  });
  if (checks.length === 0) return [];
  const asText = readJsonRelation(
    path,
    layout,
    checks.map(({ column }) => ({ name: column.name, type: 'VARCHAR' })),
  );
  const flags = checks.map(({ test }, i) => `bool_or(${test}) AS ${sqlIdent(`c${i}`)}`);
  const [flagged] = await queryRows(connection, `SELECT ${flags.join(', ')} FROM ${asText}`);
  const drifting = checks.filter((_, i) => flagged?.[`c${i}`] === true);
  if (drifting.length === 0) return [];
  // Rarely reached: number the records only now, and find every drifting field's first in one read.
  const firsts = drifting.flatMap(({ column, test }, i) => [
    `min(n) FILTER (WHERE ${test}) AS ${sqlIdent(`n${i}`)}`,
    `arg_min(${sqlIdent(column.name)}, n) FILTER (WHERE ${test}) AS ${sqlIdent(`v${i}`)}`,
  ]);
  const [first] = await queryRows(
    connection,
    `SELECT ${firsts.join(', ')} FROM (SELECT row_number() OVER () AS n, * FROM ${asText})`,
  );
  return drifting.map(({ column }, i) => ({
    field: column.name,
    type: column.type,
    record: Number(first?.[`n${i}`]),
    value: String(first?.[`v${i}`]),
  }));
}

/**
 * The drift of a chunk, as one human reading (undefined when none). `where`
 * names a record of the chunk as the file knows it (`line 57` of an NDJSON
 * file).
 */
export function describeFieldDrift(
  added: readonly string[],
  changed: readonly ChangedValue[],
  where: (chunkRecord: number) => string,
): string | undefined {
  const parts = [
    ...(added.length > 0
      ? [`new field(s) ${added.join(', ')} not in the schema planned from each file's first chunk`]
      : []),
    ...(changed.length > 0
      ? [
          `value(s) the type planned from the file's first chunk would change: ${changed
            .map(({ field, type, record, value }) => `${field} ${type} holds ${value} (${where(record)})`)
            .join(', ')}; declare the type in "columns" to read every chunk with it`,
        ]
      : []),
  ];
  return parts.length > 0 ? parts.join('; ') : undefined;
}
