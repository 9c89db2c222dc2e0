/** The module registry: every connector and transform, looked up by name. */
import { dynamoDbLoadModule, dynamoDbModule } from '../../functions/connectors/dynamodb/module.ts';
import { graphqlModule } from '../../functions/connectors/graphql/module.ts';
import { mysqlLoadModule, mysqlModule } from '../../functions/connectors/mysql/module.ts';
import { postgresLoadModule, postgresModule } from '../../functions/connectors/postgres/module.ts';
import { rabbitMqModule } from '../../functions/connectors/rabbitmq/module.ts';
import { restModule } from '../../functions/connectors/rest/module.ts';
import { s3CsvModule } from '../../functions/connectors/s3-csv/module.ts';
import { s3CsvLoadModule } from '../../functions/connectors/s3-csv-load/module.ts';
import { s3JsonModule } from '../../functions/connectors/s3-json/module.ts';
import { s3JsonLoadModule } from '../../functions/connectors/s3-json-load/module.ts';
import { s3ParquetModule } from '../../functions/connectors/s3-parquet/module.ts';
import { s3ParquetExtractModule } from '../../functions/connectors/s3-parquet-extract/module.ts';
import { s3XlsxModule } from '../../functions/connectors/s3-xlsx/module.ts';
import { s3XmlModule } from '../../functions/connectors/s3-xml/module.ts';
import { webhookModule } from '../../functions/connectors/webhook/module.ts';
import { aggregateModule } from '../../functions/transforms/aggregate/module.ts';
import { cleanModule } from '../../functions/transforms/clean/module.ts';
import { customModule } from '../../functions/transforms/custom/module.ts';
import { dedupModule } from '../../functions/transforms/dedup/module.ts';
import { deriveModule } from '../../functions/transforms/derive/module.ts';
import { filterModule } from '../../functions/transforms/filter/module.ts';
import { flattenModule } from '../../functions/transforms/flatten/module.ts';
import { joinModule } from '../../functions/transforms/join/module.ts';
import { lookupModule } from '../../functions/transforms/lookup/module.ts';
import { maskModule } from '../../functions/transforms/mask/module.ts';
import { normalizeModule } from '../../functions/transforms/normalize/module.ts';
import { pivotModule } from '../../functions/transforms/pivot/module.ts';
import { selectModule } from '../../functions/transforms/select/module.ts';
import { sortModule } from '../../functions/transforms/sort/module.ts';
import { sqlModule } from '../../functions/transforms/sql/module.ts';
import { unionModule } from '../../functions/transforms/union/module.ts';
import { unpivotModule } from '../../functions/transforms/unpivot/module.ts';
import { validateModule } from '../../functions/transforms/validate/module.ts';
import { windowModule } from '../../functions/transforms/window/module.ts';
import type { AnyModuleDefinition } from './types.ts';

export interface ModuleRegistry {
  get(name: string): AnyModuleDefinition | undefined;
  list(): readonly AnyModuleDefinition[];
}

export function createRegistry(modules: readonly AnyModuleDefinition[]): ModuleRegistry {
  const byName = new Map<string, AnyModuleDefinition>();
  for (const module of modules) {
    if (byName.has(module.name)) throw new Error(`module ${module.name} is registered twice`);
    byName.set(module.name, module);
  }
  return { get: (name) => byName.get(name), list: () => [...byName.values()] };
}

export const registry: ModuleRegistry = createRegistry([
  s3CsvModule,
  s3JsonModule,
  filterModule,
  deriveModule,
  cleanModule,
  selectModule,
  dedupModule,
  aggregateModule,
  sortModule,
  unionModule,
  joinModule,
  postgresModule,
  mysqlModule,
  s3ParquetModule,
  s3CsvLoadModule,
  s3JsonLoadModule,
  webhookModule,
  dynamoDbModule,
  dynamoDbLoadModule,
  s3ParquetExtractModule,
  s3XlsxModule,
  s3XmlModule,
  rabbitMqModule,
  postgresLoadModule,
  mysqlLoadModule,
  restModule,
  graphqlModule,
  sqlModule,
  validateModule,
  normalizeModule,
  maskModule,
  windowModule,
  pivotModule,
  unpivotModule,
  flattenModule,
  lookupModule,
  customModule,
] as AnyModuleDefinition[]);
