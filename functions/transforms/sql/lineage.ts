/**
 * The sql transform's lineage, read from DuckDB's parse tree of the query: a
 * plain column is direct (filtered when the query drops rows), `*` expands to
 * the input columns, an expression is derived (aggregated when it calls an
 * aggregate) from the columns it reads. Queries with CTEs, subqueries or set
 * operations fall back to: same name as an input column, else everything read.
 */
import { findColumn, refsOf } from '../../../shared/lineage/columns.ts';
import {
  callsAggregate,
  matchColumns,
  parseSelectTree,
  referencedNames,
  type SqlNode,
} from '../../../shared/lineage/sql-parse.ts';
import type { ColumnLineage, LineageFunction, LineageKind } from '../../../shared/lineage/types.ts';
import type { ColumnInfo } from '../../../shared/modules/kernels.ts';
import type { SqlConfig } from './module.ts';

interface Entry {
  /** The output name when the query fixes it (alias or plain column); undefined when DuckDB names it. */
  readonly name: string | undefined;
  readonly inputs: readonly string[];
  readonly kind: LineageKind;
}

const ROW_DROPPING_MODIFIERS = new Set(['DISTINCT_MODIFIER', 'LIMIT_MODIFIER', 'LIMIT_PERCENT_MODIFIER']);

function isPlainSelectOverInput(node: SqlNode | undefined): node is SqlNode {
  const from = node?.from_table as SqlNode | undefined;
  const ctes = (node?.cte_map as { map?: unknown[] } | undefined)?.map ?? [];
  return (
    node?.type === 'SELECT_NODE' &&
    from?.type === 'BASE_TABLE' &&
    String(from.table_name).toLowerCase() === 'input' &&
    ctes.length === 0 &&
    !JSON.stringify(node).includes('"SUBQUERY"')
  );
}

function dropsRows(node: SqlNode): boolean {
  const modifiers = Array.isArray(node.modifiers) ? (node.modifiers as SqlNode[]) : [];
  return (
    node.where_clause != null ||
    node.having != null ||
    node.qualify != null ||
    modifiers.some((modifier) => ROW_DROPPING_MODIFIERS.has(String(modifier.type)))
  );
}

function excluded(star: SqlNode): Set<string> {
  const list = Array.isArray(star.exclude_list) ? star.exclude_list : [];
  return new Set(
    list
      .map((item) => (typeof item === 'string' ? item : (referencedNames(item).at(-1) ?? '')))
      .map((name) => name.toLowerCase()),
  );
}

async function starEntries(
  star: SqlNode,
  inputs: readonly ColumnInfo[],
  passKind: LineageKind,
): Promise<Entry[]> {
  const replaced = new Map<string, SqlNode>();
  for (const item of Array.isArray(star.replace_list) ? (star.replace_list as SqlNode[]) : []) {
    replaced.set(String(item.key).toLowerCase(), item.value as SqlNode);
  }
  const skip = excluded(star);
  const entries: Entry[] = [];
  for (const column of inputs.filter((input) => !skip.has(input.name.toLowerCase()))) {
    const replacement = replaced.get(column.name.toLowerCase());
    entries.push(
      replacement === undefined
        ? { name: column.name, inputs: [column.name], kind: passKind }
        : await expressionEntry(replacement, column.name, inputs),
    );
  }
  return entries;
}

async function expressionEntry(
  expression: SqlNode,
  name: string | undefined,
  inputs: readonly ColumnInfo[],
): Promise<Entry> {
  return {
    name,
    inputs: matchColumns(referencedNames(expression), inputs),
    kind: (await callsAggregate(expression)) ? 'aggregated' : 'derived',
  };
}

async function selectEntries(node: SqlNode, inputs: readonly ColumnInfo[]): Promise<Entry[] | undefined> {
  const passKind: LineageKind = dropsRows(node) ? 'filtered' : 'direct';
  const entries: Entry[] = [];
  for (const item of (node.select_list ?? []) as SqlNode[]) {
    const alias = typeof item.alias === 'string' && item.alias !== '' ? item.alias : undefined;
    if (item.class === 'STAR') {
      // COLUMNS(...) selects by pattern or lambda: which columns it yields is not read here.
      if (item.columns === true || item.expr != null) return undefined;
      entries.push(...(await starEntries(item, inputs, passKind)));
    } else if (item.class === 'COLUMN_REF') {
      const [column] = matchColumns(referencedNames(item), inputs);
      entries.push({ name: alias ?? column, inputs: column === undefined ? [] : [column], kind: passKind });
    } else {
      entries.push(await expressionEntry(item, alias, inputs));
    }
  }
  return entries;
}

function fallback(
  output: ColumnInfo,
  inputs: readonly ColumnInfo[],
  everything: readonly string[],
): ColumnLineage {
  const same = findColumn(inputs, output.name);
  return {
    output: output.name,
    inputs: refsOf(same === undefined ? everything : [same.name]),
    kind: 'derived',
  };
}

export const sqlLineage: LineageFunction<SqlConfig> = async (config, columns) => {
  const inputs = columns.inputs[0] ?? [];
  const tree = await parseSelectTree(config.query);
  const everything = matchColumns(referencedNames(tree), inputs);
  const entries = isPlainSelectOverInput(tree) ? await selectEntries(tree, inputs) : undefined;
  if (entries === undefined) return columns.outputs.map((output) => fallback(output, inputs, everything));
  // DuckDB keeps the select list's order, so outputs match entries by position.
  if (entries.length === columns.outputs.length) {
    return columns.outputs.map((output, index) => {
      const entry = entries[index] as Entry;
      return { output: output.name, inputs: refsOf(entry.inputs), kind: entry.kind };
    });
  }
  return columns.outputs.map((output) => {
    const entry = entries.find((candidate) => candidate.name?.toLowerCase() === output.name.toLowerCase());
    return entry === undefined
      ? fallback(output, inputs, everything)
      : { output: output.name, inputs: refsOf(entry.inputs), kind: entry.kind };
  });
};
