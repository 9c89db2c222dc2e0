/**
 * Staging for loaders whose destination is an API, not files (webhook,
 * DynamoDB): a chunk's rows are written as NDJSON under the chunk's staging
 * prefix, marker last; Finalize replays them in chunk order. Rows stay in
 * DuckDB's JSON text, so numbers keep every digit until they are sent.
 */
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { putJson, uploadFile } from '../../../shared/aws/s3-objects.ts';
import { asDataErrors } from '../../../shared/duckdb/errors.ts';
import { sqlString } from '../../../shared/duckdb/sql.ts';
import type { ConnectorIo, StagedLoad } from '../../../shared/modules/kernels.ts';
import { STAGED_MARKER, type StagedMarker } from '../s3-load-common/stage-files.ts';

export const STAGED_ROWS_FILE = 'rows.ndjson';

export async function stageRows(
  io: ConnectorIo & { readonly connection: DuckDBConnection; readonly stagingPrefix: string },
  query = 'SELECT * FROM input',
): Promise<StagedLoad> {
  const path = join(io.workDir, STAGED_ROWS_FILE);
  const reader = await asDataErrors('writing the chunk as NDJSON', () =>
    io.connection.runAndReadAll(`COPY (${query}) TO ${sqlString(path)} (FORMAT json, ARRAY false)`),
  );
  const rows = Number(reader.getRowObjectsJson()[0]?.Count ?? 0);
  const bytes =
    rows > 0 ? await uploadFile(io.s3, path, io.stagingBucket, `${io.stagingPrefix}${STAGED_ROWS_FILE}`) : 0;
  const marker: StagedMarker = { rows, files: rows > 0 ? [STAGED_ROWS_FILE] : [] };
  await putJson(io.s3, io.stagingBucket, `${io.stagingPrefix}${STAGED_MARKER}`, marker);
  return { rows, files: marker.files.length, bytes };
}
