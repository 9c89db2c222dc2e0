/** Stages one chunk as Parquet files in the staging bucket; nothing is visible at the destination yet. */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ConnectorIo, StagedLoad } from '../../../shared/modules/kernels.ts';
import { stageFiles } from '../s3-load-common/stage-files.ts';
import type { S3ParquetConfig } from './module.ts';

export async function stageParquet(
  config: S3ParquetConfig,
  io: ConnectorIo & { readonly connection: DuckDBConnection; readonly stagingPrefix: string },
): Promise<StagedLoad> {
  return stageFiles(
    {
      copyOptions: ['FORMAT parquet', `COMPRESSION ${config.compression}`],
      fileName: 'part-0.parquet',
      partitionBy: config.partition_by,
    },
    io,
  );
}
