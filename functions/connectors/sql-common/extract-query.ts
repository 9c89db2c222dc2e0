/**
 * The statements an extractor sends: the user's query (or table) wrapped as a
 * derived table, narrowed by the incremental window and the chunk's key
 * range. Every value (parameters, watermarks, range bounds) is bound.
 */
import type { ParameterValues } from '../../../shared/duckdb/engine.ts';
import { ConfigError } from '../../../shared/errors.ts';
import type { SqlExtractConfig } from './extract-config.ts';
import { rewriteNamedParameters } from './named-parameters.ts';
import type { BindValue, SqlDialect } from './session.ts';

export interface BoundQuery {
  readonly text: string;
  readonly params: readonly BindValue[];
}

/** Incremental bounds: `low < cursor <= high`; `low` null on a first run. */
export interface CursorWindow {
  readonly low: string | null;
  readonly high?: string;
  /** DuckDB type of the cursor column, so bounds compare exactly. */
  readonly type: string;
}

/** A chunk's slice of `partition_column`: `from <= value < to` (`<= to` when last), NULLs in the first. */
export interface KeyRange {
  readonly from: string;
  readonly to: string;
  readonly last: boolean;
  readonly nulls: boolean;
}

const SOURCE_ALIAS = 'etl_src';
const INTEGER_TYPE = 'BIGINT';

class Binder {
  readonly params: BindValue[] = [];

  constructor(private readonly dialect: SqlDialect) {}

  bind(value: BindValue): string {
    this.params.push(value);
    return this.dialect.placeholder(this.params.length);
  }
}

function parameterValue(name: string, parameters: ParameterValues): BindValue {
  const value = parameters[name];
  if (value === undefined) {
    const known = Object.keys(parameters).sort().join(', ') || 'none';
    throw new ConfigError(
      `query uses $${name}, but the pipeline has no parameter ${name} (parameters: ${known})`,
    );
  }
  return value;
}

export function sourceTableSql(dialect: SqlDialect, config: SqlExtractConfig, defaultSchema: string): string {
  if (config.table === undefined) throw new ConfigError('give `query` or `table`');
  return `SELECT * FROM ${dialect.quoteIdent(config.schema ?? defaultSchema)}.${dialect.quoteIdent(config.table)}`;
}

class SourceQuery {
  private readonly binder: Binder;
  private readonly source: string;
  private readonly conditions: string[] = [];

  constructor(
    private readonly dialect: SqlDialect,
    config: SqlExtractConfig,
    parameters: ParameterValues,
    defaultSchema: string,
  ) {
    this.binder = new Binder(dialect);
    // The user's placeholders come first in the text, so they are bound first (MySQL's `?` are positional).
    this.source =
      config.query === undefined
        ? sourceTableSql(dialect, config, defaultSchema)
        : rewriteNamedParameters(config.query, dialect.name, (_position, name) =>
            this.binder.bind(parameterValue(name, parameters)),
          ).text;
  }

  column(name: string): string {
    return `${SOURCE_ALIAS}.${this.dialect.quoteIdent(name)}`;
  }

  private operand(value: string, type: string): string {
    return this.dialect.comparable(this.binder.bind(value), type);
  }

  window(column: string, window: CursorWindow): this {
    const cursor = this.column(column);
    this.conditions.push(`${cursor} IS NOT NULL`);
    if (window.low !== null) this.conditions.push(`${cursor} > ${this.operand(window.low, window.type)}`);
    if (window.high !== undefined)
      this.conditions.push(`${cursor} <= ${this.operand(window.high, window.type)}`);
    return this;
  }

  range(column: string, range: KeyRange): this {
    const key = this.column(column);
    const from = `${key} >= ${this.operand(range.from, INTEGER_TYPE)}`;
    const to = `${key} ${range.last ? '<=' : '<'} ${this.operand(range.to, INTEGER_TYPE)}`;
    this.conditions.push(range.nulls ? `((${from} AND ${to}) OR ${key} IS NULL)` : `${from} AND ${to}`);
    return this;
  }

  build(select: string, limit?: number): BoundQuery {
    // The newline ends a trailing `--` comment of the user's query before the parenthesis.
    let text = `SELECT ${select} FROM (\n${this.source}\n) AS ${SOURCE_ALIAS}`;
    if (this.conditions.length > 0) text += ` WHERE ${this.conditions.join(' AND ')}`;
    if (limit !== undefined) text += ` LIMIT ${Math.trunc(limit)}`;
    return { text, params: this.binder.params };
  }
}

export interface ExtractQueryContext {
  readonly dialect: SqlDialect;
  readonly config: SqlExtractConfig;
  readonly parameters: ParameterValues;
  readonly defaultSchema: string;
}

function sourceQuery(context: ExtractQueryContext, window: CursorWindow | undefined): SourceQuery {
  const query = new SourceQuery(context.dialect, context.config, context.parameters, context.defaultSchema);
  const cursor = context.config.cursor_column;
  if (window !== undefined && cursor !== undefined) query.window(cursor, window);
  return query;
}

/** A few rows, for the columns and an estimate of bytes per row. */
export function sampleQuery(
  context: ExtractQueryContext,
  window: CursorWindow | undefined,
  rows: number,
): BoundQuery {
  return sourceQuery(context, window).build('*', rows);
}

/**
 * One pass for the plan: the new watermark, the partition column's span and
 * the row count, in that order (absent parts are left out).
 */
export function statsQuery(context: ExtractQueryContext, window: CursorWindow | undefined): BoundQuery {
  const query = sourceQuery(context, window);
  const { cursor_column: cursor, partition_column: partition } = context.config;
  const select = [
    ...(window !== undefined && cursor !== undefined ? [`MAX(${query.column(cursor)})`] : []),
    ...(partition !== undefined
      ? [`MIN(${query.column(partition)})`, `MAX(${query.column(partition)})`]
      : []),
    'COUNT(*)',
  ];
  return query.build(select.join(', '));
}

export function chunkQuery(
  context: ExtractQueryContext,
  window: CursorWindow | undefined,
  range: KeyRange | undefined,
): BoundQuery {
  const query = sourceQuery(context, window);
  const partition = context.config.partition_column;
  if (range !== undefined && partition !== undefined) query.range(partition, range);
  return query.build('*');
}
