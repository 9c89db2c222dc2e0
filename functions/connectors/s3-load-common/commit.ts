/**
 * Publishing of every S3 file loader: staged chunks copied into the dataset
 * under run- and chunk-derived names, then a manifest (s3-parquet/commit.ts).
 */
export { commitParquet as commitStagedFiles, manifestKey } from '../s3-parquet/commit.ts';
