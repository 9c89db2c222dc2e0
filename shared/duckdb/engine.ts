/**
 * One short-lived DuckDB database per unit of work (a chunk, a plan), sized
 * from the function's memory so a chunk never takes the whole Lambda.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { sqlIdent, sqlLiteral } from './sql.ts';

export interface DuckDbOptions {
  /** Scratch folder for spills; deleted with the work folder. */
  readonly workDir: string;
  /** Default: 60% of the Lambda's memory, or 1 GB when not on Lambda. */
  readonly memoryLimitMb?: number;
  /** Default: 1. Chunks run in parallel across Lambdas, not across threads. */
  readonly threads?: number;
}

export type ParameterValues = Readonly<Record<string, string | number | boolean>>;

/** A task's DuckDB memory limit: 60% of the Lambda's memory, or 1 GB when not on Lambda. */
export function taskMemoryLimitMb(): number {
  const lambdaMb = Number(process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE);
  return Number.isFinite(lambdaMb) && lambdaMb > 0 ? Math.floor(lambdaMb * 0.6) : 1024;
}

export async function withDuckDb<T>(
  options: DuckDbOptions,
  work: (connection: DuckDBConnection) => Promise<T>,
): Promise<T> {
  const tempDir = join(options.workDir, 'duckdb-tmp');
  await mkdir(tempDir, { recursive: true });
  const instance = await DuckDBInstance.create(':memory:', {
    memory_limit: `${options.memoryLimitMb ?? taskMemoryLimitMb()}MB`,
    threads: String(options.threads ?? 1),
    temp_directory: tempDir,
    // Keep row order stable so chunked and whole-file runs agree row for row.
    preserve_insertion_order: 'true',
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  const connection = await instance.connect();
  try {
    return await work(connection);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/**
 * Exposes pipeline parameters to SQL expressions as DuckDB variables, read
 * with `getvariable('name')`: values never become SQL text the user wrote.
 */
export async function setParameterVariables(connection: DuckDBConnection, parameters: ParameterValues) {
  for (const [name, value] of Object.entries(parameters)) {
    // Quoted: a declared name may hold `-`, and a name from a hand-made event must stay one identifier.
    await connection.run(`SET VARIABLE ${sqlIdent(name)} = ${sqlLiteral(value)}`);
  }
}

/** Runs a query and returns its rows as plain JSON-safe objects. */
export async function queryRows(connection: DuckDBConnection, sql: string) {
  const reader = await connection.runAndReadAll(sql);
  return reader.getRowObjectsJson();
}
