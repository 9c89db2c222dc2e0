/** The REST API in the platform stack: authorizer on every route but the public two, env, grants. */
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  FUNCTION_ARNS_FILE,
  FUNCTION_ARNS_PREFIX,
  PUBLIC_ROUTES,
} from '../../../infra/constructs/rest-api.ts';
import type { EtlPlatformStack } from '../../../infra/stacks/platform-stack.ts';
import { permissionLines } from './iam-lines.ts';
import { logicalIdOf, platformTemplate } from './synth.ts';

let stack: EtlPlatformStack;
let template: Template;

beforeAll(async () => {
  ({ stack, template } = await platformTemplate());
});

interface MethodProperties {
  readonly HttpMethod: string;
  readonly AuthorizationType: string;
  readonly AuthorizerId?: unknown;
  readonly ResourceId: unknown;
}

function methods(): MethodProperties[] {
  return Object.values(template.findResources('AWS::ApiGateway::Method')).map(
    (resource) => (resource as { Properties: MethodProperties }).Properties,
  );
}

const consoleOrigin = () => ({
  'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [logicalIdOf(stack.console.distribution), 'DomainName'] }]],
});

describe('RestApi', () => {
  describe('routes', () => {
    it('puts the Cognito authorizer on every route but the public GET /health and GET /openapi.json', () => {
      const authorizer = { Ref: logicalIdOf(stack.api.authorizer) };
      const publicResources = PUBLIC_ROUTES.map((path) => ({
        Ref: logicalIdOf(stack.api.api.root.getResource(path)),
      }));

      const all = methods().filter((method) => method.HttpMethod !== 'OPTIONS');
      const open = all.filter((method) => method.AuthorizationType === 'NONE');
      const secured = all.filter((method) => method.AuthorizationType !== 'NONE');

      expect(open.map((method) => [method.HttpMethod, method.ResourceId])).toStrictEqual(
        publicResources.map((resource) => ['GET', resource]),
      );
      // The root and {proxy+}, any method.
      expect(secured).toHaveLength(2);
      for (const method of secured) {
        expect(method).toMatchObject({
          HttpMethod: 'ANY',
          AuthorizationType: 'COGNITO_USER_POOLS',
          AuthorizerId: authorizer,
        });
      }
      template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
        Type: 'COGNITO_USER_POOLS',
        IdentitySource: 'method.request.header.Authorization',
        ProviderARNs: [{ 'Fn::GetAtt': [logicalIdOf(stack.users.userPool), 'Arn'] }],
      });
    });

    it('hands every path to the router through {proxy+} as a Lambda proxy integration', () => {
      template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: '{proxy+}' });
      template.hasResourceProperties('AWS::ApiGateway::Method', {
        HttpMethod: 'ANY',
        Integration: {
          Type: 'AWS_PROXY',
          Uri: Match.objectLike({
            'Fn::Join': [
              '',
              Match.arrayWith([{ 'Fn::GetAtt': [logicalIdOf(stack.api.handler.function), 'Arn'] }]),
            ],
          }),
        },
      });
    });

    it('answers preflights and gateway errors for the console origin only', () => {
      const options = methods().filter((method) => method.HttpMethod === 'OPTIONS');

      expect(options.length).toBeGreaterThan(0);
      template.hasResourceProperties('AWS::ApiGateway::Method', {
        HttpMethod: 'OPTIONS',
        Integration: {
          IntegrationResponses: [
            Match.objectLike({
              ResponseParameters: Match.objectLike({
                'method.response.header.Access-Control-Allow-Origin': {
                  'Fn::Join': [
                    '',
                    [
                      "'https://",
                      { 'Fn::GetAtt': [logicalIdOf(stack.console.distribution), 'DomainName'] },
                      "'",
                    ],
                  ],
                },
              }),
            }),
          ],
        },
      });
      template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
        ResponseType: 'DEFAULT_4XX',
        ResponseParameters: Match.objectLike({
          'gatewayresponse.header.Access-Control-Allow-Origin': Match.anyValue(),
        }),
      });
    });
  });

  describe('stage', () => {
    it('logs access as JSON, traces with X-Ray, throttles and validates requests', () => {
      template.hasResourceProperties('AWS::ApiGateway::Stage', {
        StageName: 'v1',
        TracingEnabled: true,
        AccessLogSetting: {
          DestinationArn: Match.anyValue(),
          Format: Match.stringLikeRegexp('"requestId":"\\$context.requestId"'),
        },
        MethodSettings: [Match.objectLike({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 })],
      });
      template.hasResourceProperties('AWS::ApiGateway::RequestValidator', {
        ValidateRequestBody: true,
        ValidateRequestParameters: true,
      });
    });

    it('outputs the API URL and writes it into the console config.json', () => {
      const outputs = template.findOutputs('ApiUrl');
      const url = JSON.stringify(outputs.ApiUrl?.Value);

      expect(url).toContain(`"Ref":"${logicalIdOf(stack.api.api)}"`);
      expect(url).toContain('.execute-api.');
      const deployments = template.findResources('Custom::CDKBucketDeployment', {
        Properties: { DestinationBucketName: { Ref: logicalIdOf(stack.console.siteBucket) } },
      });
      const markers = JSON.stringify(Object.values(deployments));
      // No console build in the test app means no console deployment; with one, config.json carries the URL.
      if (Object.keys(deployments).length > 0)
        expect(markers).toContain(`"Ref":"${logicalIdOf(stack.api.api)}"`);
    });
  });

  describe('function', () => {
    it('has the environment cloud-deps.ts reads', () => {
      const variables = (
        template.findResources('AWS::Lambda::Function')[logicalIdOf(stack.api.handler.function)] as {
          Properties: { Environment: { Variables: Record<string, unknown> } };
        }
      ).Properties.Environment.Variables;

      expect(variables).toStrictEqual({
        ETL_METADATA_TABLE: { Ref: logicalIdOf(stack.metadata.table) },
        ETL_STAGING_BUCKET: { Ref: logicalIdOf(stack.buckets.staging) },
        ETL_ORGANIZATION: 'default',
        ETL_COGNITO_USER_POOL_ID: { Ref: logicalIdOf(stack.users.userPool) },
        ETL_COGNITO_CLIENT_ID: { Ref: logicalIdOf(stack.users.consoleClient) },
        ETL_FUNCTION_ARNS_KEY: `${FUNCTION_ARNS_PREFIX}${FUNCTION_ARNS_FILE}`,
        ETL_PIPELINE_ROLE_ARN: { 'Fn::GetAtt': [logicalIdOf(stack.pipelineRuntime.executionRole), 'Arn'] },
        ETL_ACCOUNT_ID: { Ref: 'AWS::AccountId' },
        ETL_STATE_MACHINE_PREFIX: stack.pipelineRuntime.stateMachineNamePrefix,
        ETL_PIPELINE_LOG_GROUP_ARN: { 'Fn::GetAtt': [logicalIdOf(stack.pipelineRuntime.logGroup), 'Arn'] },
        ETL_SCHEDULE_GROUP: { Ref: logicalIdOf(stack.schedules.group) },
        ETL_SCHEDULED_RUN_FUNCTION_ARN: {
          'Fn::GetAtt': [logicalIdOf(stack.triggers.scheduledRun.function), 'Arn'],
        },
        ETL_SCHEDULER_ROLE_ARN: { 'Fn::GetAtt': [logicalIdOf(stack.schedules.role), 'Arn'] },
        ETL_API_CORS_ORIGINS: consoleOrigin(),
        POWERTOOLS_LOG_LEVEL: 'INFO',
        NODE_OPTIONS: '--enable-source-maps',
      });
    });

    it('writes every function ARN into staging before the API starts', () => {
      const arns = stack.functions.functionArns;
      const deployment = template.findResources('Custom::CDKBucketDeployment', {
        Properties: {
          DestinationBucketName: { Ref: logicalIdOf(stack.buckets.staging) },
          DestinationBucketKeyPrefix: FUNCTION_ARNS_PREFIX,
          Prune: false,
        },
      });
      const markers = JSON.stringify(Object.values(deployment));

      expect(Object.keys(deployment)).toHaveLength(1);
      for (const name of Object.keys(arns)) {
        expect(markers).toContain(
          `"Fn::GetAtt":["${logicalIdOf(stack.functions.functions.get(name)?.function)}","Arn"]`,
        );
      }
      const dependsOn = (
        template.findResources('AWS::Lambda::Function')[logicalIdOf(stack.api.handler.function)] as {
          DependsOn: string[];
        }
      ).DependsOn;
      expect(dependsOn).toStrictEqual(expect.arrayContaining(Object.keys(deployment)));
    });

    it('is granted exactly what the router calls, within the platform prefix and the organization', () => {
      const lines = permissionLines(template, logicalIdOf(stack.api.handler.function.role));
      const table = `<${logicalIdOf(stack.metadata.table)}.Arn>`;
      const staging = `<${logicalIdOf(stack.buckets.staging)}.Arn>`;
      const region = 'arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>';
      const tenant =
        '{"ForAllValues:StringLike":{"dynamodb:LeadingKeys":["ORG#default","ORG#default#*","S3TRIGGER#*","SCHEDULES"]}}';
      const states = [
        'CreateStateMachine',
        'DeleteStateMachine',
        'DescribeExecution',
        'DescribeStateMachine',
        'RedriveExecution',
        'StartExecution',
        'StopExecution',
        'TagResource',
        'UpdateStateMachine',
      ];
      const passed = (service: string) =>
        `{"StringEquals":{"iam:PassedToService":"${service}.amazonaws.com"}}`;
      const schedules = `arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/<${logicalIdOf(stack.schedules.group)}>/*`;
      const secrets =
        'arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:etl/default/connections/*';

      expect(lines).toStrictEqual(
        [
          ...[
            'BatchGetItem',
            'BatchWriteItem',
            'DeleteItem',
            'GetItem',
            'PutItem',
            'Query',
            'UpdateItem',
          ].map((action) => `dynamodb:${action} ${table} if ${tenant}`),
          `iam:PassRole <${logicalIdOf(stack.pipelineRuntime.executionRole)}.Arn> if ${passed('states')}`,
          `iam:PassRole <${logicalIdOf(stack.schedules.role)}.Arn> if ${passed('scheduler')}`,
          `logs:CreateLogStream <${logicalIdOf(stack.api.handler.logGroup)}.Arn>`,
          `logs:PutLogEvents <${logicalIdOf(stack.api.handler.logGroup)}.Arn>`,
          `s3:GetObject ${staging}/${FUNCTION_ARNS_PREFIX}${FUNCTION_ARNS_FILE}`,
          `s3:GetObject ${staging}/runs/*`,
          `s3:ListBucket ${staging} if {"StringLike":{"s3:prefix":["runs/*"]}}`,
          `s3:PutObject ${staging}/runs/*`,
          ...['CreateSchedule', 'DeleteSchedule', 'GetSchedule', 'UpdateSchedule'].map(
            (action) => `scheduler:${action} ${schedules}`,
          ),
          ...['CreateSecret', 'DeleteSecret', 'GetSecretValue', 'PutSecretValue'].map(
            (action) => `secretsmanager:${action} ${secrets}`,
          ),
          ...states.flatMap((action) => [
            `states:${action} ${region}:execution:EtlPlatform-*:*`,
            `states:${action} ${region}:stateMachine:EtlPlatform-*`,
          ]),
          'xray:PutTelemetryRecords *',
          'xray:PutTraceSegments *',
        ].sort(),
      );
    });
  });
});
