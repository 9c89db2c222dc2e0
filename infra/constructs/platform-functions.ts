/**
 * One Lambda per module of the registry and one per control function, each
 * sized from its module's `lambda` settings and granted only what its kind
 * needs. Module functions run DuckDB and carry its native binding as a layer.
 */
import { Duration } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Architecture } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { registry } from '../../shared/modules/registry.ts';
import {
  CONTROL_FUNCTION_NAMES,
  FUSED_CHAIN,
  type FunctionName,
} from '../../statemachines/function-names.ts';
import { controlHandlerEntry, dataPlaneHandlerEntry, moduleHandlerEntry } from '../function-entries.ts';
import {
  type BucketRef,
  grantConnectionSecrets,
  grantDynamoDbTables,
  grantModuleAccess,
  grantStoreAccess,
} from '../grants/function-access.ts';
import { grantIdempotencyRecords } from '../grants/idempotency-access.ts';
import { moduleNeeds } from '../grants/module-needs.ts';
import { DuckDbBindingLayer } from './duckdb-binding-layer.ts';
import { EtlFunction } from './etl-function.ts';
import type { PlatformBuckets } from './platform-buckets.ts';

export interface PlatformFunctionsProps {
  readonly buckets: PlatformBuckets;
  readonly table: ITableV2;
  /** Tenant whose items the functions write (`ETL_ORGANIZATION`). */
  readonly organization: string;
  /**
   * Architecture of the functions that run DuckDB (every module function).
   * @default Architecture.X86_64 (infra/README.md says why)
   */
  readonly duckDbArchitecture?: Architecture;
  /**
   * Buckets besides landing and data that extractors may read, by name.
   * @default none
   */
  readonly extraSourceBuckets?: readonly string[];
  /**
   * Buckets besides data that loaders may publish into, by name.
   * @default none
   */
  readonly extraTargetBuckets?: readonly string[];
}

/** Control functions make a few DynamoDB calls per run: no DuckDB, little memory. */
const CONTROL_SIZING = { memorySizeMb: 512, timeout: Duration.seconds(60) };

export class PlatformFunctions extends Construct {
  /** Every function by the name the translator resolves (`s3-csv`, `control-init`, ...). */
  readonly functions: ReadonlyMap<FunctionName, EtlFunction>;
  /** Functions that run DuckDB and carry its binding layer: every module function and `fused-chain`. */
  readonly duckDbFunctions: ReadonlySet<FunctionName>;
  readonly duckDbLayer: DuckDbBindingLayer;
  /** `functions` and `duckDbFunctions`, writable for `addFunction`. */
  private readonly addedFunctions: Map<FunctionName, EtlFunction>;
  private readonly addedDuckDbFunctions: Set<FunctionName>;

  constructor(scope: Construct, id: string, props: PlatformFunctionsProps) {
    super(scope, id);
    const { buckets, table, organization } = props;
    const environment = {
      ETL_STAGING_BUCKET: buckets.staging.bucketName,
      ETL_METADATA_TABLE: table.tableName,
      ETL_ORGANIZATION: organization,
      POWERTOOLS_LOG_LEVEL: 'INFO',
    };
    const duckDbArchitecture = props.duckDbArchitecture ?? Architecture.X86_64;
    this.duckDbLayer = new DuckDbBindingLayer(this, 'DuckDbBinding', { architecture: duckDbArchitecture });
    const functions = new Map<FunctionName, EtlFunction>();

    const control = new Construct(this, 'Control');
    for (const name of CONTROL_FUNCTION_NAMES) {
      const fn = new EtlFunction(control, name, {
        entry: controlHandlerEntry(name),
        description: `ETL ${name}: run lifecycle`,
        ...CONTROL_SIZING,
        environment,
      });
      grantStoreAccess(fn.function, table, organization);
      grantIdempotencyRecords(fn.function, name, table, organization);
      functions.set(name, fn);
    }

    const modules = new Construct(this, 'Modules');
    const duckDbFunctions = new Set<FunctionName>();
    const sourceBuckets: BucketRef[] = [buckets.landing, buckets.data, ...(props.extraSourceBuckets ?? [])];
    const targetBuckets: BucketRef[] = [buckets.data, ...(props.extraTargetBuckets ?? [])];
    for (const module of registry.list()) {
      const fn = new EtlFunction(modules, module.name, {
        entry: moduleHandlerEntry(module),
        description: `ETL ${module.kind} ${module.name}: ${module.title}`,
        memorySizeMb: module.lambda.memoryMb,
        timeout: Duration.seconds(module.lambda.timeoutSeconds),
        architecture: duckDbArchitecture,
        layers: [this.duckDbLayer.layer],
        environment,
      });
      const needs = moduleNeeds(module);
      grantStoreAccess(fn.function, table, organization);
      grantIdempotencyRecords(fn.function, module.name, table, organization);
      grantModuleAccess(fn.function, {
        kind: module.kind,
        staging: buckets.staging,
        sources: needs.buckets ? sourceBuckets : [],
        targets: needs.buckets ? targetBuckets : [],
      });
      if (needs.connectionSecrets) grantConnectionSecrets(fn.function, organization);
      if (needs.dynamodbTables && module.kind !== 'transformer')
        grantDynamoDbTables(fn.function, module.kind, table);
      functions.set(module.name, fn);
      duckDbFunctions.add(module.name);
    }
    const fused = this.fusedChainFunction(environment, duckDbArchitecture, {
      table,
      organization,
      staging: buckets.staging,
      sourceBuckets,
      targetBuckets,
    });
    functions.set(FUSED_CHAIN, fused);
    duckDbFunctions.add(FUSED_CHAIN);
    this.functions = functions;
    this.duckDbFunctions = duckDbFunctions;
    this.addedFunctions = functions;
    this.addedDuckDbFunctions = duckDbFunctions;
  }

  /**
   * Adds a function built by another construct (a user's `custom` function),
   * before pipelines, the runtime and monitoring read `functions`.
   */
  addFunction(name: FunctionName, fn: EtlFunction, options: { readonly runsDuckDb: boolean }): void {
    if (this.addedFunctions.has(name)) throw new Error(`a function named ${name} already exists`);
    this.addedFunctions.set(name, fn);
    if (options.runsDuckDb) this.addedDuckDbFunctions.add(name);
  }

  /**
   * `fused-chain` runs every node of a fused stage in-process (execution.fuse),
   * so it is sized for the largest module and granted what any module may
   * need: sources, targets and connection secrets. That is the price of one
   * invocation per chunk instead of one per node; pipelines that want
   * per-module least privilege set `execution.fuse: false`.
   */
  private fusedChainFunction(
    environment: Record<string, string>,
    architecture: Architecture,
    access: {
      table: ITableV2;
      organization: string;
      staging: PlatformBuckets['staging'];
      sourceBuckets: BucketRef[];
      targetBuckets: BucketRef[];
    },
  ): EtlFunction {
    const modules = registry.list();
    const fn = new EtlFunction(new Construct(this, 'DataPlane'), FUSED_CHAIN, {
      entry: dataPlaneHandlerEntry(FUSED_CHAIN),
      description: `ETL ${FUSED_CHAIN}: every node of a stage over one chunk`,
      memorySizeMb: Math.max(...modules.map((module) => module.lambda.memoryMb)),
      timeout: Duration.seconds(Math.max(...modules.map((module) => module.lambda.timeoutSeconds))),
      architecture,
      layers: [this.duckDbLayer.layer],
      environment,
    });
    grantStoreAccess(fn.function, access.table, access.organization);
    for (const kind of ['extractor', 'loader'] as const) {
      grantModuleAccess(fn.function, {
        kind,
        staging: access.staging,
        sources: access.sourceBuckets,
        targets: access.targetBuckets,
      });
    }
    if (modules.some((module) => moduleNeeds(module).connectionSecrets)) {
      grantConnectionSecrets(fn.function, access.organization);
    }
    for (const kind of ['extractor', 'loader'] as const) {
      if (modules.some((module) => module.kind === kind && moduleNeeds(module).dynamodbTables)) {
        grantDynamoDbTables(fn.function, kind, access.table);
      }
    }
    return fn;
  }

  /** Name -> ARN (tokens until deployed): what `deployedArnResolver` takes. */
  get functionArns(): Record<FunctionName, string> {
    return Object.fromEntries([...this.functions].map(([name, fn]) => [name, fn.function.functionArn]));
  }
}
