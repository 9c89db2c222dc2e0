/**
 * Checks user-written SQL expressions and cast types before they are spliced
 * into a transform's SELECT: they must parse as one plain expression, so a
 * config can't smuggle in a query, a second statement or file access.
 */
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { z } from 'zod';
import { errorMessage } from '../errors.ts';

const ParseResultSchema = z.object({
  error: z.boolean(),
  error_message: z.string().optional(),
  statements: z.array(z.object({ node: z.looseObject({ type: z.string() }) })).optional(),
});

const SelectNodeSchema = z.looseObject({
  type: z.literal('SELECT_NODE'),
  modifiers: z.array(z.unknown()),
  cte_map: z.object({ map: z.array(z.unknown()) }),
  select_list: z.array(z.looseObject({ class: z.string(), alias: z.string() })),
  from_table: z.looseObject({ type: z.string() }),
  where_clause: z.unknown(),
  group_expressions: z.array(z.unknown()),
  having: z.unknown(),
  sample: z.unknown(),
  qualify: z.unknown(),
});

type SelectNode = z.infer<typeof SelectNodeSchema>;

const NOT_A_QUERY = 'must be a single SQL expression, not a query';
const ONE_STATEMENT = 'must be a single SQL expression; ";" may not end it or start another statement';
const TRAILING = 'must be a single SQL expression, with no ";" or clause after it';
const NO_SUBQUERIES = 'subqueries are not allowed in expressions';
const NO_WILDCARDS = 'column wildcards (* and COLUMNS(...)) are not allowed in expressions';
const ONE_TYPE = 'must be a single DuckDB type name';
const NO_ALIAS = 'must not carry an alias (AS ...); the column name comes from the config';

/** Type names are spliced into `CAST(... AS <type>)`: no quotes, operators or comments. */
const TYPE_NAME = /^[A-Za-z][A-Za-z0-9_ ,()[\]]*$/;

// Only parsing and casting NULL happen here, so a small, sealed instance is enough.
let instance: Promise<DuckDBInstance> | undefined;

function checkerInstance(): Promise<DuckDBInstance> {
  instance ??= DuckDBInstance.create(':memory:', {
    threads: '1',
    memory_limit: '64MB',
    enable_external_access: 'false',
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
    lock_configuration: 'true',
  }).catch((error: unknown) => {
    // Don't cache a failed start: the next check tries again.
    instance = undefined;
    throw error;
  });
  return instance;
}

/** A connection to the sealed parser instance (no file or network access), closed after `work`. */
export async function withCheckerConnection<T>(
  work: (connection: DuckDBConnection) => Promise<T>,
): Promise<T> {
  // One connection per check: checks may run concurrently and connections are cheap.
  const connection = await (await checkerInstance()).connect();
  try {
    return await work(connection);
  } finally {
    connection.closeSync();
  }
}

// Bound as a parameter, so the text under test is never spliced into this query.
const SERIALIZE = 'SELECT json_serialize_sql(CAST($sql AS VARCHAR))';

async function parseSelect(connection: DuckDBConnection, sql: string) {
  const reader = await connection.runAndReadAll(SERIALIZE, { sql });
  const [row] = reader.getRowsJson();
  return ParseResultSchema.parse(JSON.parse(String(row?.[0])));
}

function containsClass(value: unknown, className: string): boolean {
  if (Array.isArray(value)) return value.some((item) => containsClass(item, className));
  if (typeof value !== 'object' || value === null) return false;
  if ('class' in value && value.class === className) return true;
  return Object.values(value).some((child) => containsClass(child, className));
}

function hasClauses(node: SelectNode): boolean {
  return (
    node.modifiers.length > 0 ||
    node.cte_map.map.length > 0 ||
    node.from_table.type !== 'EMPTY' ||
    node.where_clause != null ||
    node.group_expressions.length > 0 ||
    node.having != null ||
    node.sample != null ||
    node.qualify != null
  );
}

type ParsedExpression =
  | { readonly entry: SelectNode['select_list'][number] }
  /** `syntax`: the parser's own message; `shape`: it parsed, but is not one plain expression. */
  | { readonly error: string; readonly kind: 'syntax' | 'shape' };

/** The one select-list entry of `SELECT <expression>`, or why there isn't exactly one. */
async function parseExpression(connection: DuckDBConnection, sql: string): Promise<ParsedExpression> {
  const result = await parseSelect(connection, sql);
  if (result.error) {
    const message = result.error_message ?? 'cannot be parsed';
    // json_serialize_sql refuses non-SELECT statements, which only `;` can introduce here.
    if (message.startsWith('Only SELECT statements')) return { error: ONE_STATEMENT, kind: 'shape' };
    return { error: message, kind: 'syntax' };
  }
  const statements = result.statements ?? [];
  if (statements.length !== 1) return { error: ONE_STATEMENT, kind: 'shape' };
  const node = SelectNodeSchema.safeParse(statements[0]?.node);
  if (!node.success || hasClauses(node.data)) return { error: NOT_A_QUERY, kind: 'shape' };
  const [entry, ...rest] = node.data.select_list;
  if (entry === undefined || rest.length > 0) {
    return { error: 'must be a single SQL expression, not a list', kind: 'shape' };
  }
  if (containsClass(node.data, 'SUBQUERY')) return { error: NO_SUBQUERIES, kind: 'shape' };
  return { entry };
}

/**
 * Wraps a checked expression for splicing into SQL. The newline ends a
 * trailing `--` comment; `checkSqlExpression` verifies this exact form.
 */
export function embedSqlExpression(expression: string): string {
  return `(${expression}\n)`;
}

/** Checks already answered, by kind and text: the answer depends on nothing else. */
const answered = new Map<string, Promise<string | undefined>>();
/** Configs hold a handful of expressions; past this many distinct ones, start over rather than grow. */
const MAX_ANSWERS = 1000;

/**
 * Every node step of every chunk re-validates its config, and each check is
 * a round trip to the parser (two for an expression): remembered, a chunk
 * pays it once per process instead of once per node and chunk.
 */
function rememberCheck(key: string, check: () => Promise<string | undefined>): Promise<string | undefined> {
  const known = answered.get(key);
  if (known !== undefined) return known;
  if (answered.size >= MAX_ANSWERS) answered.clear();
  const answer = check();
  answered.set(key, answer);
  // A failed check (the parser did not start) is not an answer: the next call tries again.
  answer.catch(() => answered.delete(key));
  return answer;
}

/** Returns why `expression` is not one safe SQL expression, or undefined when it is. */
export function checkSqlExpression(expression: string): Promise<string | undefined> {
  return rememberCheck(`expression\u0000${expression}`, () => checkSqlExpressionNow(expression));
}

async function checkSqlExpressionNow(expression: string): Promise<string | undefined> {
  if (expression.trim() === '') return 'must not be empty';
  return withCheckerConnection(async (connection) => {
    const plain = await parseExpression(connection, `SELECT ${expression}`);
    if ('error' in plain) return plain.error;
    if (plain.entry.alias !== '') return NO_ALIAS;
    if (containsClass(plain.entry, 'STAR')) return NO_WILDCARDS;
    // The kernels run the wrapped form; it must still be one expression (catches a trailing `;`).
    const wrapped = await parseExpression(connection, `SELECT ${embedSqlExpression(expression)}`);
    return 'error' in wrapped ? TRAILING : undefined;
  });
}

/** Returns why `typeName` is not a DuckDB type usable in `CAST(x AS <type>)`, or undefined. */
export function checkSqlType(typeName: string): Promise<string | undefined> {
  return rememberCheck(`type\u0000${typeName}`, () => checkSqlTypeNow(typeName));
}

async function checkSqlTypeNow(typeName: string): Promise<string | undefined> {
  if (!TYPE_NAME.test(typeName)) {
    return 'must be a DuckDB type name such as BIGINT, DATE, DECIMAL(10,2) or VARCHAR[]';
  }
  return withCheckerConnection(async (connection) => {
    const sql = `SELECT CAST(NULL AS ${typeName})`;
    const parsed = await parseExpression(connection, sql);
    if ('error' in parsed && parsed.kind === 'syntax') return parsed.error;
    if ('error' in parsed || parsed.entry.class !== 'CAST') return ONE_TYPE;
    try {
      // Parsing accepts any identifier as a type; binding tells whether it exists.
      await connection.run(sql);
      return undefined;
    } catch (error) {
      return bindErrorText(errorMessage(error));
    }
  });
}

/** `Catalog Error: Type with name FOO does not exist!\nDid you mean…` -> the first sentence alone. */
function bindErrorText(message: string): string {
  const firstLine = message.split('\n', 1)[0] ?? message;
  return firstLine.replace(/^[A-Za-z ]+ Error: /, '');
}

/** Wraps a checked query as a subquery; the newline ends a trailing `--` comment. */
export function embedSqlQuery(query: string): string {
  return `SELECT * FROM (${query}\n)`;
}

/** Walks a serialized parse tree for the names of CTEs, base tables and table functions. */
function collectRelations(
  value: unknown,
  found: { ctes: Set<string>; tables: Set<string>; functions: Set<string> },
): void {
  if (Array.isArray(value)) {
    for (const item of value) collectRelations(item, found);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const node = value as Record<string, unknown>;
  if (node.type === 'BASE_TABLE') {
    const schema = [node.catalog_name, node.schema_name].filter((part) => part !== '' && part != null);
    found.tables.add([...schema, String(node.table_name)].join('.'));
  }
  if (node.type === 'TABLE_FUNCTION') {
    const fn = node.function as Record<string, unknown> | undefined;
    found.functions.add(String(fn?.function_name ?? 'unknown'));
  }
  const cteMap = node.cte_map as { map?: { key?: unknown }[] } | undefined;
  for (const entry of cteMap?.map ?? []) {
    if (typeof entry.key === 'string') found.ctes.add(entry.key);
  }
  for (const child of Object.values(node)) collectRelations(child, found);
}

/**
 * Returns why `query` is not one SELECT over the relation `input` (and its own
 * CTEs), or undefined when it is. Table functions and other tables are refused,
 * so a query can't read files, URLs or the catalog.
 */
export function checkSqlQuery(query: string): Promise<string | undefined> {
  return rememberCheck(`query\u0000${query}`, () => checkSqlQueryNow(query));
}

async function checkSqlQueryNow(query: string): Promise<string | undefined> {
  if (query.trim() === '') return 'must not be empty';
  return withCheckerConnection(async (connection) => {
    const result = await parseSelect(connection, query);
    if (result.error) {
      const message = result.error_message ?? 'cannot be parsed';
      if (message.startsWith('Only SELECT statements')) return 'must be a single SELECT statement';
      return message;
    }
    const statements = result.statements ?? [];
    if (statements.length !== 1) return 'must be a single SELECT statement';
    const found = { ctes: new Set<string>(), tables: new Set<string>(), functions: new Set<string>() };
    collectRelations(statements, found);
    const [fn] = found.functions;
    if (fn !== undefined)
      return `table functions are not allowed (found ${fn}); read the node's input as "input"`;
    const other = [...found.tables].find((name) => name.toLowerCase() !== 'input' && !found.ctes.has(name));
    if (other !== undefined) return `only the table "input" may be read (found "${other}")`;
    // The kernel runs the embedded form; it must still parse (catches a trailing `;`).
    const embedded = await parseSelect(connection, embedSqlQuery(query));
    return embedded.error ? 'must be a single SELECT statement, with no ";" after it' : undefined;
  });
}
