/** Stages one chunk as CSV files; published by the shared S3 commit in Finalize. */
import type { DuckDBConnection } from '@duckdb/node-api';
import { sqlString } from '../../../shared/duckdb/sql.ts';
import type { ConnectorIo, StagedLoad } from '../../../shared/modules/kernels.ts';
import { partFileName } from '../s3-load-common/config.ts';
import { stageFiles } from '../s3-load-common/stage-files.ts';
import type { S3CsvLoadConfig } from './config.ts';

export function stageCsv(
  config: S3CsvLoadConfig,
  io: ConnectorIo & { readonly connection: DuckDBConnection; readonly stagingPrefix: string },
): Promise<StagedLoad> {
  const copyOptions = [
    'FORMAT csv',
    `HEADER ${config.header}`,
    `DELIMITER ${sqlString(config.delimiter)}`,
    `QUOTE ${sqlString(config.quote)}`,
    `ESCAPE ${sqlString(config.quote)}`,
    `NULLSTR ${sqlString(config.null_string)}`,
    ...(config.compression === 'gzip' ? ['COMPRESSION gzip'] : []),
  ];
  return stageFiles(
    { copyOptions, fileName: partFileName('csv', config.compression), partitionBy: config.partition_by },
    io,
  );
}
