/**
 * One Lambda per user `custom` function folder: the `custom` transform's
 * handler and that folder's `transform`, bundled together by esbuild with the
 * shared recipe (a generated entry, infra/function-entries.ts). Each is named
 * `custom-<folder name>` in the platform's functions, so the translator sends
 * a `custom` node naming that folder to it, and granted what any transformer
 * gets: its organization's items and the staging bucket's chunks.
 */
import { Duration } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Architecture } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { customModule } from '../../functions/transforms/custom/module.ts';
import type { Pipeline } from '../../shared/spec/schema.ts';
import { CUSTOM_MODULE, customFunctionName, type FunctionName } from '../../statemachines/function-names.ts';
import { PROJECT_ROOT } from '../bundling/function-bundling.ts';
import { customFunctionEntry } from '../function-entries.ts';
import { grantModuleAccess, grantStoreAccess } from '../grants/function-access.ts';
import { EtlFunction } from './etl-function.ts';
import type { PlatformBuckets } from './platform-buckets.ts';
import type { PlatformFunctions } from './platform-functions.ts';

export interface CustomFunctionsProps {
  /**
   * Function folders relative to the repository root, as `custom` nodes name
   * them (`"function": "functions/transforms/custom/examples/title-case"`).
   * Their last segments must differ: each becomes `custom-<last segment>`.
   */
  readonly folders: readonly string[];
  /** The platform's functions: each custom function is added to them, and shares their DuckDB layer. */
  readonly functions: PlatformFunctions;
  readonly buckets: PlatformBuckets;
  readonly table: ITableV2;
  /** Tenant whose items the functions write (`ETL_ORGANIZATION`). */
  readonly organization: string;
  /**
   * Architecture of the functions: that of the platform's DuckDB layer, which they carry.
   * @default Architecture.X86_64 (PlatformFunctions' default)
   */
  readonly duckDbArchitecture?: Architecture;
  /**
   * Memory of every custom function, in MB.
   * @default the `custom` module's `lambda.memoryMb`
   */
  readonly memorySizeMb?: number;
  /**
   * Timeout of every custom function.
   * @default the `custom` module's `lambda.timeoutSeconds`
   */
  readonly timeout?: Duration;
  /**
   * Where folders and their entries are resolved from.
   * @default the repository root
   */
  readonly projectRoot?: string;
}

/** Every folder a `custom` node of these pipelines names, once each, in order of appearance. */
export function customFunctionFolders(pipelines: readonly Pipeline[]): string[] {
  const folders = pipelines.flatMap((pipeline) =>
    pipeline.nodes.flatMap((node) => {
      if (node.module !== CUSTOM_MODULE) return [];
      const folder: unknown = (node.config as { function?: unknown }).function;
      return typeof folder === 'string' ? [folder] : [];
    }),
  );
  return [...new Set(folders)];
}

export class CustomFunctions extends Construct {
  /** By function name (`custom-<folder name>`). */
  readonly functions: ReadonlyMap<FunctionName, EtlFunction>;

  constructor(scope: Construct, id: string, props: CustomFunctionsProps) {
    super(scope, id);
    const { buckets, table, organization } = props;
    const projectRoot = props.projectRoot ?? PROJECT_ROOT;
    // What PlatformFunctions gives every module function (shared/aws/env.ts reads it).
    const environment = {
      ETL_STAGING_BUCKET: buckets.staging.bucketName,
      ETL_METADATA_TABLE: table.tableName,
      ETL_ORGANIZATION: organization,
      POWERTOOLS_LOG_LEVEL: 'INFO',
    };
    const layer = props.functions.duckDbLayer;
    const functions = new Map<FunctionName, EtlFunction>();
    const folderOf = new Map<FunctionName, string>();
    for (const folder of props.folders) {
      const name = customFunctionName(folder);
      const other = folderOf.get(name);
      if (other !== undefined) {
        if (other === folder) continue;
        throw new Error(`custom functions ${other} and ${folder} would both deploy as ${name}: rename one`);
      }
      folderOf.set(name, folder);
      const fn = new EtlFunction(this, name, {
        entry: customFunctionEntry(folder, projectRoot),
        description: `ETL custom function ${folder}`,
        memorySizeMb: props.memorySizeMb ?? customModule.lambda.memoryMb,
        timeout: props.timeout ?? Duration.seconds(customModule.lambda.timeoutSeconds),
        // The handler runs DuckDB: the layer's binding and the function's instruction set must match.
        architecture: props.duckDbArchitecture ?? Architecture.X86_64,
        layers: [layer.layer],
        environment,
      });
      grantStoreAccess(fn.function, table, organization);
      grantModuleAccess(fn.function, {
        kind: 'transformer',
        staging: buckets.staging,
        sources: [],
        targets: [],
      });
      props.functions.addFunction(name, fn, { runsDuckDb: true });
      functions.set(name, fn);
    }
    this.functions = functions;
  }
}
