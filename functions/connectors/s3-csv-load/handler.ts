/** Lambda entry of the `s3-csv-load` loader. */
import { createLoaderHandler } from '../../../shared/lambda/loader-handler.ts';
import { commitStagedFiles } from '../s3-load-common/commit.ts';
import { s3CsvLoadModule } from './module.ts';
import { stageCsv } from './stage.ts';

export const handler = createLoaderHandler(s3CsvLoadModule, { stage: stageCsv, commit: commitStagedFiles });
