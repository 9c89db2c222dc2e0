/**
 * Custom's data work: the chunk goes to the user's function as an Arrow
 * table; what it returns is appended into a DuckDB table the step selects.
 */

import { sqlIdent } from '../../../shared/duckdb/sql.ts';
import { DataError, errorMessage } from '../../../shared/errors.ts';
import type { TransformKernel } from '../../../shared/modules/kernels.ts';
import { readInputAsArrow, writeArrowTable } from './arrow-bridge.ts';
import { loadCustomFunction } from './load-function.ts';
import type { CustomConfig } from './module.ts';

// One table per call: two custom nodes fused in one chain never share it.
let calls = 0;

export const customKernel: TransformKernel<CustomConfig> = async ({ config, connection, inputColumns }) => {
  const transform = await loadCustomFunction(config.function);
  const batch = await readInputAsArrow(connection, inputColumns);
  let output: Awaited<ReturnType<typeof transform>>;
  try {
    output = await transform(batch, { options: config.options });
  } catch (error) {
    // The user's message names the problem; the data stays out of it unless the function put it there.
    throw new DataError(`custom function ${config.function} failed: ${errorMessage(error)}`, {
      cause: error,
    });
  }
  calls += 1;
  const table = `custom_output_${calls}`;
  await writeArrowTable(connection, table, output);
  return `SELECT * FROM ${sqlIdent(table)}`;
};
