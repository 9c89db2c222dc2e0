/** A transform's output columns, described by DuckDB from its kernel's query over empty inputs. */
import type { DuckDBConnection } from '@duckdb/node-api';
import { ORDER_COLUMNS } from '../chunks/shuffle.ts';
import { describeColumns } from '../duckdb/parquet.ts';
import { sqlIdent } from '../duckdb/sql.ts';
import type { ColumnInfo } from '../modules/kernels.ts';
import type { SchemaKernel } from './schema-kernels.ts';

/** A type lineage could not learn is described as text, the widest guess DuckDB binds. */
function columnDefinition(column: ColumnInfo): string {
  return `${sqlIdent(column.name)} ${column.type === 'UNKNOWN' ? 'VARCHAR' : column.type}`;
}

async function emptyView(connection: DuckDBConnection, name: string, columns: readonly ColumnInfo[]) {
  const table = sqlIdent(`${name}_empty`);
  await connection.run(`CREATE OR REPLACE TABLE ${table} (${columns.map(columnDefinition).join(', ')})`);
  await connection.run(`CREATE OR REPLACE VIEW ${sqlIdent(name)} AS SELECT * FROM ${table}`);
}

/** The columns a node produces from inputs with `inputs` columns (the config already parsed). */
export async function describeOutput(
  connection: DuckDBConnection,
  schemaKernel: SchemaKernel,
  config: unknown,
  inputs: readonly (readonly ColumnInfo[])[],
): Promise<ColumnInfo[]> {
  if (!schemaKernel.barrier) {
    const inputColumns = inputs[0] ?? [];
    await emptyView(connection, 'input', inputColumns);
    const planned = await schemaKernel.kernel({ config: config as never, connection, inputColumns });
    return describeColumns(connection, `(${typeof planned === 'string' ? planned : planned.query})`);
  }
  // As the barrier handler opens a bucket: each input with its order columns, `input` is input 0.
  const order = ORDER_COLUMNS.map((name) => ({ name, type: 'BIGINT' }));
  for (const [index, columns] of inputs.entries())
    await emptyView(connection, `input_${index}`, [...columns, ...order]);
  await connection.run('CREATE OR REPLACE VIEW input AS SELECT * FROM input_0');
  const inputColumns = inputs.map((columns) => [...columns, ...order]);
  const reduced = await schemaKernel.kernel.reduce({ config: config as never, connection, inputColumns });
  const produced = await describeColumns(
    connection,
    `(${typeof reduced === 'string' ? reduced : reduced.query})`,
  );
  return produced.filter((column) => !(ORDER_COLUMNS as readonly string[]).includes(column.name));
}
