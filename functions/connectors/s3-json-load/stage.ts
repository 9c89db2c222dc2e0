/**
 * Stages one chunk as NDJSON: one object per line, so a reader can stream the
 * files and a chunk needs no closing bracket. Published by the shared S3 commit.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ConnectorIo, StagedLoad } from '../../../shared/modules/kernels.ts';
import { partFileName } from '../s3-load-common/config.ts';
import { stageFiles } from '../s3-load-common/stage-files.ts';
import type { S3JsonLoadConfig } from './config.ts';

export function stageNdjson(
  config: S3JsonLoadConfig,
  io: ConnectorIo & { readonly connection: DuckDBConnection; readonly stagingPrefix: string },
): Promise<StagedLoad> {
  const copyOptions = [
    'FORMAT json',
    'ARRAY false',
    ...(config.compression === 'gzip' ? ['COMPRESSION gzip'] : []),
  ];
  return stageFiles(
    { copyOptions, fileName: partFileName('json', config.compression), partitionBy: config.partition_by },
    io,
  );
}
