/** Lambda entry of the `s3-json-load` loader. */
import { createLoaderHandler } from '../../../shared/lambda/loader-handler.ts';
import { commitStagedFiles } from '../s3-load-common/commit.ts';
import { s3JsonLoadModule } from './module.ts';
import { stageNdjson } from './stage.ts';

export const handler = createLoaderHandler(s3JsonLoadModule, {
  stage: stageNdjson,
  commit: commitStagedFiles,
});
