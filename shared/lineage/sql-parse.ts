/**
 * Reads user SQL (expressions, queries) through DuckDB's own parser
 * (`json_serialize_sql`) to find the columns it references, so lineage
 * follows exactly what DuckDB would bind, quoting and case included.
 */
import { z } from 'zod';
import { withCheckerConnection } from '../duckdb/expression-check.ts';
import type { ColumnInfo } from '../modules/kernels.ts';

/** A parse-tree node as `json_serialize_sql` writes it. */
export type SqlNode = Record<string, unknown>;

const ParsedSchema = z.object({
  error: z.boolean(),
  error_message: z.string().optional(),
  statements: z.array(z.object({ node: z.record(z.string(), z.unknown()) })).optional(),
});

/** The parse tree of one SELECT, or undefined when it does not parse (validation reports that, not lineage). */
export async function parseSelectTree(sql: string): Promise<SqlNode | undefined> {
  return withCheckerConnection(async (connection) => {
    const reader = await connection.runAndReadAll('SELECT json_serialize_sql(CAST($sql AS VARCHAR))', {
      sql,
    });
    const parsed = ParsedSchema.parse(JSON.parse(String(reader.getRowsJson()[0]?.[0])));
    return parsed.error ? undefined : parsed.statements?.[0]?.node;
  });
}

let aggregateNames: Promise<ReadonlySet<string>> | undefined;

/** Names of DuckDB's aggregate functions (`count_star` is how the parser spells `count(*)`). */
function aggregateFunctions(): Promise<ReadonlySet<string>> {
  aggregateNames ??= withCheckerConnection(async (connection) => {
    const reader = await connection.runAndReadAll(
      "SELECT DISTINCT function_name FROM duckdb_functions() WHERE function_type = 'aggregate'",
    );
    return new Set(['count_star', ...reader.getRowsJson().map((row) => String(row[0]).toLowerCase())]);
  });
  return aggregateNames;
}

function children(node: unknown): unknown[] {
  if (Array.isArray(node)) return node;
  if (typeof node !== 'object' || node === null) return [];
  return Object.values(node);
}

/** Every column name referenced under `node` (the last part of `t.col`). */
export function referencedNames(node: unknown): string[] {
  if (typeof node === 'object' && node !== null && (node as SqlNode).class === 'COLUMN_REF') {
    const parts = (node as SqlNode).column_names;
    const last = Array.isArray(parts) ? parts[parts.length - 1] : undefined;
    return typeof last === 'string' ? [last] : [];
  }
  return children(node).flatMap(referencedNames);
}

/** True when `node` calls an aggregate function (window functions are per row, not aggregates). */
export async function callsAggregate(node: unknown): Promise<boolean> {
  const names = await aggregateFunctions();
  const visit = (value: unknown): boolean => {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const item = value as SqlNode;
      if (item.class === 'WINDOW') return false;
      if (item.class === 'FUNCTION' && names.has(String(item.function_name).toLowerCase())) return true;
    }
    return children(value).some(visit);
  };
  return visit(node);
}

/** The input columns among `names`, spelled as the input spells them, each once, in input order. */
export function matchColumns(names: readonly string[], columns: readonly ColumnInfo[]): string[] {
  const wanted = new Set(names.map((name) => name.toLowerCase()));
  return columns.filter((column) => wanted.has(column.name.toLowerCase())).map((column) => column.name);
}

/** The input columns a SQL expression reads; an unparsable expression reads none that lineage can name. */
export async function expressionColumns(
  expression: string,
  columns: readonly ColumnInfo[],
): Promise<string[]> {
  const tree = await parseSelectTree(`SELECT ${expression}`);
  return matchColumns(referencedNames(tree?.select_list), columns);
}
