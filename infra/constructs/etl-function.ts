/**
 * One Lambda function of the platform: a handler file bundled by esbuild with
 * the shared recipe, its own log group with a retention, X-Ray tracing and
 * the environment every handler reads at cold start (`shared/aws/env.ts`).
 */
import { join } from 'node:path';
import { type Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, type ILayerVersion, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { FUNCTION_RUNTIME, functionBundling, PROJECT_ROOT } from '../bundling/function-bundling.ts';

export interface EtlFunctionProps {
  /** Handler file exporting `handler`, relative to the repository root. */
  readonly entry: string;
  readonly description: string;
  readonly memorySizeMb: number;
  readonly timeout: Duration;
  /** Environment besides `NODE_OPTIONS`, which this construct sets. */
  readonly environment: Readonly<Record<string, string>>;
  /**
   * Instruction set of the function; a function carrying a native layer must match it.
   * @default Architecture.ARM_64 (Graviton: about 20% cheaper per GB-second)
   */
  readonly architecture?: Architecture;
  /**
   * Layers, e.g. the DuckDB binding.
   * @default none
   */
  readonly layers?: readonly ILayerVersion[];
  /**
   * How long the function's logs are kept.
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention?: RetentionDays;
}

export class EtlFunction extends Construct {
  readonly function: NodejsFunction;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: EtlFunctionProps) {
    super(scope, id);

    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      // Logs of a removed function have no reader left.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    // Its own role instead of AWSLambdaBasicExecutionRole, which may write to any log group.
    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: props.description,
    });
    this.logGroup.grantWrite(role);

    this.function = new NodejsFunction(this, 'Function', {
      role,
      entry: join(PROJECT_ROOT, props.entry),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
      runtime: FUNCTION_RUNTIME,
      architecture: props.architecture ?? Architecture.ARM_64,
      description: props.description,
      memorySize: props.memorySizeMb,
      timeout: props.timeout,
      layers: props.layers ? [...props.layers] : undefined,
      bundling: functionBundling(),
      environment: {
        ...props.environment,
        // Stack traces point into the TypeScript sources, not the minified bundle.
        NODE_OPTIONS: '--enable-source-maps',
      },
      logGroup: this.logGroup,
      tracing: Tracing.ACTIVE,
    });

    Validations.of(this).acknowledge(
      {
        id: 'AwsSolutions-L1',
        reason: `Runs ${FUNCTION_RUNTIME.name}, the Node.js major the project installs and tests on; runtime and local Node move together.`,
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'X-Ray trace submission (xray:PutTraceSegments, PutTelemetryRecords) supports no resource-level permissions.',
      },
    );
  }
}
