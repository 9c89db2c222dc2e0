/** The soak's oracle: the rows the birdstrikes example must publish, counted by DuckDB straight from the file. */
import { queryRows, withDuckDb } from '../../shared/duckdb/engine.ts';
import { sqlLiteral } from '../../shared/duckdb/sql.ts';

/** Strikes whose total cost is at least the pipeline's default `min_cost` (1 USD). */
export async function expectedRowsOut(csvPath: string, workDir: string): Promise<number> {
  const rows = await withDuckDb({ workDir }, (connection) =>
    queryRows(
      connection,
      `SELECT count(*) AS n FROM read_csv(${sqlLiteral(csvPath)}, header = true) WHERE "Cost Total $" >= 1`,
    ),
  );
  return Number(rows[0]?.n);
}
