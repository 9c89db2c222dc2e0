/**
 * What the SQL connectors share: a session on one database connection, and a
 * dialect that knows its SQL. The postgres and mysql folders implement both;
 * planning, extraction, staging and commit are written once against them.
 */
/** A value as a driver hands it over: text, bytes for binary columns, or NULL. */
export type RowValue = string | Uint8Array | null;
/** A value bound to a statement placeholder. */
export type BindValue = string | number | boolean | Uint8Array | null;

export interface SourceColumn {
  readonly name: string;
  /** DuckDB type of the column in the chunk's Parquet, from the driver's column metadata. */
  readonly type: string;
  /** How its values travel in row batches: text, or bytes for binary columns. */
  readonly carrier: 'VARCHAR' | 'BLOB';
  /** DuckDB expression turning the carrier column `ref` into `type`; default `CAST(ref AS type)`. */
  readonly cast?: (ref: string) => string;
}

export interface RowBatch {
  readonly columns: readonly SourceColumn[];
  readonly rows: readonly (readonly RowValue[])[];
}

export interface QueryResult {
  readonly rows: readonly (readonly RowValue[])[];
  readonly affectedRows: number;
}

export interface SqlSession {
  /** The schema a node means when it names none: `public`, or the MySQL database. */
  readonly defaultSchema: string;
  /**
   * Streams a result through a server-side cursor in batches of at most
   * `batchRows`. The first batch comes even for an empty result: it carries
   * the columns.
   */
  stream(sql: string, params: readonly BindValue[], batchRows: number): AsyncGenerator<RowBatch>;
  /** Small results (plans, lookups) and statements. */
  query(sql: string, params?: readonly BindValue[]): Promise<QueryResult>;
  /** Runs `work` in one transaction: committed if it resolves, rolled back if it throws. */
  transaction<T>(work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** A destination table's column as the database declares it. */
export interface TableColumn {
  readonly name: string;
  /** The declared type, usable in DDL, e.g. `numeric(12,2)` or `varchar(255)`. */
  readonly type: string;
}

export interface SqlDialect {
  /** Connection type and the prefix of destination descriptions, e.g. `postgres`. */
  readonly name: 'postgres' | 'mysql';
  /** Opens a session on a named connection, resolving its settings and secret. */
  open(connection: string): Promise<SqlSession>;
  quoteIdent(name: string): string;
  /** The placeholder of the `position`-th bound value (1-based). */
  placeholder(position: number): string;
  /**
   * An operand comparing a bound text value with a column of `duckType`
   * exactly (MySQL compares an integer column with a string as doubles).
   */
  comparable(placeholder: string, duckType: string): string;
}

export interface LoadDialect extends SqlDialect {
  /** Whether CREATE and DROP TABLE can sit inside the publishing transaction. */
  readonly transactionalDdl: boolean;
  /** DuckDB expression turning the input column `ref` (of `duckType`) into the value the driver binds. */
  bindExpression(ref: string, duckType: string): string;
  /** DDL type for a DuckDB type, when the loader creates a table. */
  columnType(duckType: string, isKey: boolean): string;
  /** The table's columns in order, or undefined when it does not exist. */
  describeTable(session: SqlSession, schema: string, table: string): Promise<TableColumn[] | undefined>;
  /** Whether a primary key or unique index covers exactly these columns (upsert needs one). */
  hasUniqueKey(
    session: SqlSession,
    schema: string,
    table: string,
    columns: readonly string[],
  ): Promise<boolean>;
  /** Tables of the schema whose names start with `prefix`. */
  listTables(session: SqlSession, schema: string, prefix: string): Promise<string[]>;
  /** Statements creating a table (and its indexes); `IF NOT EXISTS`. */
  createTable(
    schema: string,
    table: string,
    columns: readonly TableColumn[],
    options: { readonly primaryKey?: readonly string[]; readonly index?: string },
  ): string[];
  /** Upsert of `columns` from `staging` into `target` on `keys`; later chunks and rows win. */
  upsertStatement(
    target: string,
    staging: string,
    columns: readonly string[],
    keys: readonly string[],
  ): string;
  /** Holds a named lock for the session while `work` runs, so concurrent commits of a run queue up. */
  withLock<T>(session: SqlSession, name: string, work: () => Promise<T>): Promise<T>;
}
