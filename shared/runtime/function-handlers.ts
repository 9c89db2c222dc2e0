/**
 * Which in-process handler serves each Lambda function name locally. Every
 * module in the registry and every control function must have one (tested).
 */
import type { Context } from 'aws-lambda';

export type InProcessHandler = (event: unknown, context: Context) => Promise<unknown>;

type HandlerModule = { handler: InProcessHandler };

const LOADERS: Readonly<Record<string, () => Promise<HandlerModule>>> = {
  'control-init': () => import('../../functions/control/init.ts'),
  'control-finalize': () => import('../../functions/control/finalize.ts'),
  'control-on-failure': () => import('../../functions/control/on-failure.ts'),
  'fused-chain': () => import('../../functions/fused-chain/handler.ts'),
  's3-csv': () => import('../../functions/connectors/s3-csv/handler.ts'),
  's3-json': () => import('../../functions/connectors/s3-json/handler.ts'),
  's3-parquet': () => import('../../functions/connectors/s3-parquet/handler.ts'),
  's3-csv-load': () => import('../../functions/connectors/s3-csv-load/handler.ts'),
  's3-json-load': () => import('../../functions/connectors/s3-json-load/handler.ts'),
  webhook: () => import('../../functions/connectors/webhook/handler.ts'),
  dynamodb: () => import('../../functions/connectors/dynamodb/handler.ts'),
  'dynamodb-load': () => import('../../functions/connectors/dynamodb/load-handler.ts'),
  's3-parquet-extract': () => import('../../functions/connectors/s3-parquet-extract/handler.ts'),
  's3-xlsx': () => import('../../functions/connectors/s3-xlsx/handler.ts'),
  's3-xml': () => import('../../functions/connectors/s3-xml/handler.ts'),
  rabbitmq: () => import('../../functions/connectors/rabbitmq/handler.ts'),
  postgres: () => import('../../functions/connectors/postgres/handler.ts'),
  'postgres-load': () => import('../../functions/connectors/postgres/load-handler.ts'),
  mysql: () => import('../../functions/connectors/mysql/handler.ts'),
  'mysql-load': () => import('../../functions/connectors/mysql/load-handler.ts'),
  rest: () => import('../../functions/connectors/rest/handler.ts'),
  graphql: () => import('../../functions/connectors/graphql/handler.ts'),
  filter: () => import('../../functions/transforms/filter/handler.ts'),
  derive: () => import('../../functions/transforms/derive/handler.ts'),
  sql: () => import('../../functions/transforms/sql/handler.ts'),
  validate: () => import('../../functions/transforms/validate/handler.ts'),
  normalize: () => import('../../functions/transforms/normalize/handler.ts'),
  mask: () => import('../../functions/transforms/mask/handler.ts'),
  window: () => import('../../functions/transforms/window/handler.ts'),
  pivot: () => import('../../functions/transforms/pivot/handler.ts'),
  unpivot: () => import('../../functions/transforms/unpivot/handler.ts'),
  flatten: () => import('../../functions/transforms/flatten/handler.ts'),
  lookup: () => import('../../functions/transforms/lookup/handler.ts'),
  custom: () => import('../../functions/transforms/custom/handler.ts'),
  clean: () => import('../../functions/transforms/clean/handler.ts'),
  select: () => import('../../functions/transforms/select/handler.ts'),
  dedup: () => import('../../functions/transforms/dedup/handler.ts'),
  aggregate: () => import('../../functions/transforms/aggregate/handler.ts'),
  sort: () => import('../../functions/transforms/sort/handler.ts'),
  union: () => import('../../functions/transforms/union/handler.ts'),
  join: () => import('../../functions/transforms/join/handler.ts'),
};

export const LOCAL_FUNCTION_NAMES: readonly string[] = Object.keys(LOADERS);

export async function loadFunctionHandler(functionName: string): Promise<InProcessHandler> {
  const load = LOADERS[functionName];
  if (load === undefined) throw new Error(`no local handler for function "${functionName}"`);
  return (await load()).handler;
}
