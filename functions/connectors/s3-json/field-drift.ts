/**
 * How a JSON chunk's fields differ from the schema its plan inferred from
 * the file's first chunk: fields the plan never saw, and fields whose values
 * the planned type would not hold as they are. DuckDB reads a JSON value into
 * any type it can cast to without a word: 1.5 into BIGINT becomes 2, `true`
 * becomes 1, `"yes"` or 5 into BOOLEAN become true. A chunk doing so would
 * change data silently, so it counts as schema drift instead.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows } from '../../../shared/duckdb/engine.ts';
import { INTEGER_TYPES } from '../../../shared/duckdb/types.ts';
import type { ColumnInfo } from '../../../shared/modules/kernels.ts';
import { type JsonLayout, jsonRecords } from './json-options.ts';

/** The kinds `json_type` reports for a value (objects and arrays included). */
type JsonKind = 'NULL' | 'BOOLEAN' | 'UBIGINT' | 'BIGINT' | 'DOUBLE' | 'VARCHAR' | 'OBJECT' | 'ARRAY';

/** One field of a chunk: each kind of value it holds, whether a number had a fraction, where first seen. */
export interface FieldKind {
  readonly field: string;
  readonly kind: string;
  /** Some DOUBLE value is not a whole number. */
  readonly fractional: boolean;
  /** The record (1-based, within the chunk) where the kind first appears (for a fractional DOUBLE, the first fraction). */
  readonly firstRecord: number;
  /** That record's value, as JSON text. */
  readonly example: string;
}

const NUMBER_KINDS: readonly JsonKind[] = ['NULL', 'UBIGINT', 'BIGINT', 'DOUBLE'];

/**
 * Whether a value of `kind` reads into `type` as it is. Only types DuckDB
 * fills by lossy casts are checked: text takes any value as its JSON text,
 * and dates, times and nested types refuse what they cannot parse (an error
 * naming the line, never a changed value).
 */
export function holdsExactly(type: string, value: Pick<FieldKind, 'kind' | 'fractional'>): boolean {
  const kind = value.kind as JsonKind;
  if (INTEGER_TYPES.has(type)) return NUMBER_KINDS.includes(kind) && !value.fractional;
  if (type === 'FLOAT' || type === 'DOUBLE' || type.startsWith('DECIMAL')) return NUMBER_KINDS.includes(kind);
  if (type === 'BOOLEAN') return kind === 'NULL' || kind === 'BOOLEAN';
  return true;
}

/** Each field of the chunk with each kind of value it holds (a record's top-level fields only). */
export async function fieldKinds(
  connection: DuckDBConnection,
  path: string,
  layout: JsonLayout,
): Promise<FieldKind[]> {
  const rows = await queryRows(
    connection,
    `WITH member_kinds AS (
       SELECT member.key AS field, member.type AS kind, member.value::VARCHAR AS example, record.n,
              CASE WHEN member.type = 'DOUBLE' THEN member.value::DOUBLE <> trunc(member.value::DOUBLE) ELSE false END AS fractional
       FROM (${jsonRecords(path, layout)}) AS record, json_each(record.json) AS member)
     SELECT field, kind, bool_or(fractional) AS fractional,
            -- A fractional number is what a whole-number type would change: report the first of those.
            coalesce(min(n) FILTER (WHERE fractional), min(n))::BIGINT AS first_record,
            coalesce(arg_min(example, n) FILTER (WHERE fractional), arg_min(example, n)) AS example
     FROM member_kinds GROUP BY ALL ORDER BY field, first_record`,
  );
  return rows.map((row) => ({
    field: String(row.field),
    kind: String(row.kind),
    fractional: row.fractional === true,
    firstRecord: Number(row.first_record),
    example: String(row.example),
  }));
}

/**
 * The drift of a chunk against the planned columns, as one human reading
 * (undefined when none): new fields, and fields whose values the planned
 * type would change. `where` names a record of the chunk as the file knows
 * it (`line 57` of an NDJSON file). Declared columns are the user's choice
 * of type and are not second-guessed.
 */
export function describeFieldDrift(
  kinds: readonly FieldKind[],
  planned: readonly ColumnInfo[],
  declared: ReadonlySet<string>,
  where: (chunkRecord: number) => string,
): string | undefined {
  const types = new Map(planned.map((column) => [column.name, column.type]));
  const added = [...new Set(kinds.filter((kind) => !types.has(kind.field)).map((kind) => kind.field))];
  const changed = kinds.flatMap((kind) => {
    const type = types.get(kind.field);
    if (type === undefined || declared.has(kind.field) || holdsExactly(type, kind)) return [];
    return [`${kind.field} ${type} -> ${kind.kind} (${where(kind.firstRecord)}: ${kind.example})`];
  });
  const parts = [
    ...(added.length > 0
      ? [`new field(s) ${added.join(', ')} not in the schema planned from each file's first chunk`]
      : []),
    ...(changed.length > 0
      ? [
          `changed type(s) ${changed.join(', ')}: the schema was planned from the file's first chunk; declare the type in "columns" to read every chunk with it`,
        ]
      : []),
  ];
  return parts.length > 0 ? parts.join('; ') : undefined;
}
