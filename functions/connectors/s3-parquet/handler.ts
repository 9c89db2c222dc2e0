/** Lambda entry of the `s3-parquet` loader. */
import { createLoaderHandler } from '../../../shared/lambda/loader-handler.ts';
import { commitParquet } from './commit.ts';
import { s3ParquetModule } from './module.ts';
import { stageParquet } from './stage.ts';

export const handler = createLoaderHandler(s3ParquetModule, { stage: stageParquet, commit: commitParquet });
