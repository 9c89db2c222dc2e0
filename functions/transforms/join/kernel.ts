/**
 * Join's data work: both inputs are shuffled by their keys (as text, so an
 * INTEGER key meets its BIGINT twin in the same bucket), then each bucket
 * joins its two halves. Output keeps left-then-right input order.
 *
 * Counters: a join may multiply rows, so rows_out can exceed rows_in and
 * `in = out + rejected + filtered` does not hold for it. Instead
 * rows_filtered counts the input rows without a match that the join type
 * drops (both sides for inner, the right for left, the left for right, none
 * for full), so 0 <= rows_filtered <= rows_in always.
 *
 * A broadcast join (broadcast-plan.ts) runs the same `reduce` over one chunk
 * of one input and all of the other; `unmatchedRows` and `matchedRowIds`
 * let it count each side where it can be counted exactly once.
 */
import { sqlIdent } from '../../../shared/duckdb/sql.ts';
import type { BarrierKernel, ColumnInfo } from '../../../shared/modules/kernels.ts';
import { resolveColumn } from '../columns.ts';
import type { JoinConfig } from './module.ts';

const ORDER = ['_etl_chunk', '_etl_row'];
/** Which inputs' unmatched rows each join type drops. */
const DROPS_UNMATCHED: Record<JoinConfig['type'], { left: boolean; right: boolean }> = {
  inner: { left: true, right: true },
  left: { left: false, right: true },
  right: { left: true, right: false },
  full: { left: false, right: false },
};
const SQL_JOIN: Record<JoinConfig['type'], string> = {
  inner: 'INNER JOIN',
  left: 'LEFT JOIN',
  right: 'RIGHT JOIN',
  full: 'FULL OUTER JOIN',
};

function keyColumns(
  config: JoinConfig,
  side: 'left' | 'right',
  columns: readonly ColumnInfo[],
): ColumnInfo[] {
  return config.on.map((pair) => resolveColumn(columns, pair[side], { module: 'join', field: `on.${side}` }));
}

/** Each input's columns without the shuffle's order columns, and the ON condition over `l` and `r`. */
function joinShape(config: JoinConfig, inputColumns: readonly (readonly ColumnInfo[])[]) {
  const left = (inputColumns[0] ?? []).filter((column) => !ORDER.includes(column.name));
  const right = (inputColumns[1] ?? []).filter((column) => !ORDER.includes(column.name));
  const leftKeys = keyColumns(config, 'left', left);
  const rightKeys = keyColumns(config, 'right', right);
  const on = leftKeys
    .map((key, i) => `l.${sqlIdent(key.name)} = r.${sqlIdent(rightKeys[i]?.name ?? key.name)}`)
    .join(' AND ');
  return { left, right, leftKeys, rightKeys, on };
}

export const joinKernel: BarrierKernel<JoinConfig> = {
  partitionKey: (config, input, columns) =>
    keyColumns(config, input === 0 ? 'left' : 'right', columns)
      .map((column) => `CAST(${sqlIdent(column.name)} AS VARCHAR)`)
      .join(', '),
  async reduce({ config, inputColumns }) {
    const { left, right, leftKeys, rightKeys, on } = joinShape(config, inputColumns);
    // A key named alike on both sides is one output column, filled from either side.
    const merged = new Map(
      leftKeys.flatMap((key, i) =>
        rightKeys[i]?.name === key.name ? [[key.name, rightKeys[i]?.name ?? key.name]] : [],
      ),
    );
    const leftNames = new Set(left.map((column) => column.name));
    const select = [
      ...left.map((column) =>
        merged.has(column.name)
          ? `coalesce(l.${sqlIdent(column.name)}, r.${sqlIdent(column.name)}) AS ${sqlIdent(column.name)}`
          : `l.${sqlIdent(column.name)}`,
      ),
      ...right
        .filter((column) => !merged.has(column.name))
        .map((column) => {
          const name = leftNames.has(column.name) ? `${column.name}${config.right_suffix}` : column.name;
          return `r.${sqlIdent(column.name)} AS ${sqlIdent(name)}`;
        }),
    ];
    return [
      `SELECT ${select.join(', ')}`,
      `FROM input_0 AS l ${SQL_JOIN[config.type]} input_1 AS r ON ${on}`,
      'ORDER BY l._etl_chunk NULLS LAST, l._etl_row NULLS LAST, r._etl_chunk NULLS LAST, r._etl_row NULLS LAST',
    ].join('\n');
  },
  async droppedRows({ config, inputColumns }) {
    const drops = DROPS_UNMATCHED[config.type];
    const terms = [
      ...(drops.left ? [unmatchedRows(config, inputColumns, 0)] : []),
      ...(drops.right ? [unmatchedRows(config, inputColumns, 1)] : []),
    ];
    return `SELECT (${terms.length === 0 ? '0' : terms.join(' + ')})::BIGINT AS n`;
  },
};

/** Whether the join type drops the unmatched rows of an input (0: left, 1: right). */
export function dropsUnmatched(type: JoinConfig['type'], input: number): boolean {
  const drops = DROPS_UNMATCHED[type];
  return input === 0 ? drops.left : drops.right;
}

/**
 * A scalar subquery: the rows of `input_<input>` that match no row of the
 * other input. A NULL key never equals anything, so its row counts as
 * unmatched, as the join treats it.
 */
export function unmatchedRows(
  config: JoinConfig,
  inputColumns: readonly (readonly ColumnInfo[])[],
  input: number,
): string {
  const { on } = joinShape(config, inputColumns);
  const [own, other] = input === 0 ? ['input_0 AS l', 'input_1 AS r'] : ['input_1 AS r', 'input_0 AS l'];
  return `(SELECT count(*) FROM ${own} WHERE NOT EXISTS (SELECT 1 FROM ${other} WHERE ${on}))`;
}

/** The order columns (`_etl_chunk`, `_etl_row`) of the rows of `input_<input>` that match some row of the other. */
export function matchedRowIds(
  config: JoinConfig,
  inputColumns: readonly (readonly ColumnInfo[])[],
  input: number,
): string {
  const { on } = joinShape(config, inputColumns);
  const alias = input === 0 ? 'l' : 'r';
  return `SELECT DISTINCT ${ORDER.map((name) => `${alias}.${name}`).join(', ')} FROM input_0 AS l JOIN input_1 AS r ON ${on}`;
}
