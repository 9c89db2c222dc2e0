/**
 * The REST API: API Gateway in front of one Lambda running the Hono router
 * (functions/api/handler.ts). Cognito's authorizer checks every route's ID
 * token except the public `GET /health` and `GET /openapi.json`; the router
 * verifies the token again and applies the roles. The function may manage
 * only the platform's own state machines, schedules and connection secrets.
 */
import { Aws, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  RestApi as ApiGatewayRestApi,
  AuthorizationType,
  CognitoUserPoolsAuthorizer,
  Cors,
  EndpointType,
  LambdaIntegration,
  LogGroupLogDestination,
  ResponseType,
} from 'aws-cdk-lib/aws-apigateway';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import type { CfnScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { CORS_ORIGINS_ENV, FUNCTION_ARNS_KEY_ENV } from '../../functions/api/cloud-deps.ts';
import { ACCOUNT_ID_ENV, PIPELINE_ROLE_ENV } from '../../shared/triggers/cloud-deps.ts';
import { SCHEDULE_SYNC_ENV } from '../../shared/triggers/schedule-sync.ts';
import { FUSED_CHAIN } from '../../statemachines/function-names.ts';
import { grantApiAccess } from '../grants/api-access.ts';
import { acknowledgeDeploymentHandler } from './console-hosting.ts';
import { EtlFunction } from './etl-function.ts';
import type { PipelineRuntime } from './pipeline-runtime.ts';
import type { PlatformFunctions } from './platform-functions.ts';
import type { UserDirectory } from './user-directory.ts';

export interface RestApiProps {
  readonly table: ITableV2;
  /** Where runs keep snapshots, chunks, rejects and quality reports. */
  readonly staging: IBucket;
  /** Tenant of the deployment: IAM keeps the API to its items and connection secrets. */
  readonly organization: string;
  /** Whose ID tokens the authorizer accepts (the console's client). */
  readonly users: UserDirectory;
  /** Every function pipelines may invoke: the translator resolves them by name. */
  readonly functions: PlatformFunctions;
  /** Prefix, execution role and log group of the state machines the API creates. */
  readonly runtime: PipelineRuntime;
  /** The schedule group, and the role Scheduler assumes, of pipeline schedules. */
  readonly scheduleGroup: CfnScheduleGroup;
  readonly schedulerRole: IRole;
  /** The function every schedule tick invokes. */
  readonly scheduledRunFunction: IFunction;
  /**
   * Browser origins allowed to call the API (the console's CloudFront URL).
   * @default none: no browser on another origin may call it
   */
  readonly allowedOrigins?: readonly string[];
  /**
   * Steady-state requests per second across the stage.
   * @default 50
   */
  readonly throttlingRateLimit?: number;
  /**
   * Requests the stage absorbs in a burst above the rate.
   * @default 100
   */
  readonly throttlingBurstLimit?: number;
  /**
   * How long access logs are kept.
   * @default RetentionDays.THREE_MONTHS
   */
  readonly accessLogRetention?: RetentionDays;
}

/** Routes anyone may call: a load balancer's probe and the API's own description. */
export const PUBLIC_ROUTES = ['health', 'openapi.json'] as const;

/** Where the function-ARN map lives in staging: too large for Lambda's 4 KB environment. */
export const FUNCTION_ARNS_PREFIX = 'platform/';
export const FUNCTION_ARNS_FILE = 'function-arns.json';

export class RestApi extends Construct {
  readonly api: ApiGatewayRestApi;
  readonly handler: EtlFunction;
  readonly authorizer: CognitoUserPoolsAuthorizer;
  readonly accessLogs: LogGroup;
  /** Writes the function-ARN map into staging at deployment. */
  readonly functionArns: BucketDeployment;

  constructor(scope: Construct, id: string, props: RestApiProps) {
    super(scope, id);
    const { runtime } = props;
    const functionArnsKey = `${FUNCTION_ARNS_PREFIX}${FUNCTION_ARNS_FILE}`;
    this.functionArns = new BucketDeployment(this, 'FunctionArns', {
      sources: [Source.jsonData(FUNCTION_ARNS_FILE, props.functions.functionArns)],
      destinationBucket: props.staging,
      destinationKeyPrefix: FUNCTION_ARNS_PREFIX,
      // Only this prefix is the deployment's: nothing else in staging may be pruned.
      prune: false,
      retainOnDelete: false,
    });
    acknowledgeDeploymentHandler(this.functionArns, props.staging);

    // The API reads rejects with DuckDB: same architecture and layer as the module functions.
    const duckDbFunction = props.functions.functions.get(FUSED_CHAIN)?.function;
    this.handler = new EtlFunction(this, 'Handler', {
      entry: 'functions/api/handler.ts',
      description: 'ETL api: the REST API router',
      memorySizeMb: 1024,
      // API Gateway gives up on an integration after 29 seconds.
      timeout: Duration.seconds(29),
      ...(duckDbFunction ? { architecture: duckDbFunction.architecture } : {}),
      layers: [props.functions.duckDbLayer.layer],
      environment: {
        ETL_METADATA_TABLE: props.table.tableName,
        ETL_STAGING_BUCKET: props.staging.bucketName,
        ETL_ORGANIZATION: props.organization,
        ETL_COGNITO_USER_POOL_ID: props.users.userPool.userPoolId,
        ETL_COGNITO_CLIENT_ID: props.users.consoleClient.userPoolClientId,
        [FUNCTION_ARNS_KEY_ENV]: functionArnsKey,
        [PIPELINE_ROLE_ENV]: runtime.executionRole.roleArn,
        [ACCOUNT_ID_ENV]: Aws.ACCOUNT_ID,
        ETL_STATE_MACHINE_PREFIX: runtime.stateMachineNamePrefix,
        ETL_PIPELINE_LOG_GROUP_ARN: runtime.logGroup.logGroupArn,
        [SCHEDULE_SYNC_ENV.groupName]: props.scheduleGroup.ref,
        [SCHEDULE_SYNC_ENV.functionArn]: props.scheduledRunFunction.functionArn,
        [SCHEDULE_SYNC_ENV.roleArn]: props.schedulerRole.roleArn,
        ...(props.allowedOrigins?.length ? { [CORS_ORIGINS_ENV]: props.allowedOrigins.join(',') } : {}),
        POWERTOOLS_LOG_LEVEL: 'INFO',
      },
    });
    // The map must be in place before the first cold start reads it.
    this.handler.function.node.addDependency(this.functionArns);
    grantApiAccess(this.handler.function, {
      table: props.table,
      staging: props.staging,
      functionArnsKey,
      organization: props.organization,
      runtime,
      scheduleGroup: props.scheduleGroup,
      schedulerRole: props.schedulerRole,
    });

    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.accessLogRetention ?? RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.api = new ApiGatewayRestApi(this, 'Api', {
      description: 'ETL platform REST API',
      endpointConfiguration: { types: [EndpointType.REGIONAL] },
      deployOptions: {
        stageName: 'v1',
        accessLogDestination: new LogGroupLogDestination(this.accessLogs),
        accessLogFormat: AccessLogFormat.jsonWithStandardFields(),
        tracingEnabled: true,
        throttlingRateLimit: props.throttlingRateLimit ?? 50,
        throttlingBurstLimit: props.throttlingBurstLimit ?? 100,
      },
      ...(props.allowedOrigins?.length
        ? {
            defaultCorsPreflightOptions: {
              allowOrigins: [...props.allowedOrigins],
              allowMethods: Cors.ALL_METHODS,
              allowHeaders: ['Authorization', 'Content-Type'],
              maxAge: Duration.minutes(10),
            },
          }
        : {}),
      cloudWatchRole: false,
    });
    this.authorizer = new CognitoUserPoolsAuthorizer(this, 'Authorizer', {
      cognitoUserPools: [props.users.userPool],
      resultsCacheTtl: Duration.minutes(5),
    });
    this.routes();
    this.corsOnGatewayErrors(props.allowedOrigins ?? []);
  }

  /**
   * Answers the gateway itself gives (401 from the authorizer, 429 from
   * throttling) need the CORS header too, or the console sees a network
   * error instead of the status. A gateway response holds one fixed origin.
   */
  private corsOnGatewayErrors(origins: readonly string[]): void {
    const [origin] = origins;
    if (origin === undefined || origins.length > 1) return;
    for (const [id, type] of [
      ['Default4xx', ResponseType.DEFAULT_4XX],
      ['Default5xx', ResponseType.DEFAULT_5XX],
    ] as const) {
      this.api.addGatewayResponse(id, {
        type,
        responseHeaders: { 'Access-Control-Allow-Origin': `'${origin}'`, Vary: "'Origin'" },
      });
    }
  }

  /**
   * `{proxy+}` hands every path to the router behind the authorizer; the
   * public routes are their own resources, which API Gateway matches first.
   * The router's schemas validate bodies (with pointers to each problem);
   * the gateway validates what it can see: the required Authorization header.
   */
  private routes(): void {
    const integration = new LambdaIntegration(this.handler.function, { proxy: true });
    const validator = this.api.addRequestValidator('Validator', {
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    const secured = {
      authorizationType: AuthorizationType.COGNITO,
      authorizer: this.authorizer,
      requestValidator: validator,
      requestParameters: { 'method.request.header.Authorization': true },
    };
    this.api.root.addMethod('ANY', integration, secured);
    this.api.root.addProxy({
      defaultIntegration: integration,
      defaultMethodOptions: secured,
      anyMethod: true,
    });
    for (const path of PUBLIC_ROUTES) {
      const method = this.api.root.addResource(path).addMethod('GET', integration, {
        authorizationType: AuthorizationType.NONE,
        requestValidator: validator,
      });
      Validations.of(method).acknowledge(
        {
          id: 'AwsSolutions-APIG4',
          reason: `GET /${path} is public by design: a health probe and the API's OpenAPI description carry no tenant data.`,
        },
        {
          id: 'AwsSolutions-COG4',
          reason: `GET /${path} is public by design: a health probe and the API's OpenAPI description carry no tenant data.`,
        },
      );
    }
    Validations.of(this.api).acknowledge(
      {
        id: 'AwsSolutions-APIG3',
        reason:
          'A WAF web ACL (from about 5 USD a month plus per-request fees) is left to the deployer; Cognito, stage throttling and request size limits guard the API.',
      },
      {
        id: 'AwsSolutions-APIG6',
        reason:
          "Execution logging needs the account-wide API Gateway CloudWatch role shared by every API in the region; JSON access logs, X-Ray and the router's own structured logs cover each request.",
      },
    );
  }
}
