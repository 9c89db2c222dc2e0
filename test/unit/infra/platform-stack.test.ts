import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { moduleNeeds } from '../../../infra/grants/module-needs.ts';
import type { EtlPlatformStack } from '../../../infra/stacks/platform-stack.ts';
import { registry } from '../../../shared/modules/registry.ts';
import { metadataTableDefinition } from '../../../shared/store/table-definition.ts';
import {
  CONTROL_FUNCTION_NAMES,
  DATA_PLANE_FUNCTION_NAMES,
  FUSED_CHAIN,
} from '../../../statemachines/function-names.ts';
import { permissionLines } from './iam-lines.ts';
import { logicalIdOf, platformTemplate } from './synth.ts';

let stack: EtlPlatformStack;
let template: Template;

beforeAll(async () => {
  ({ stack, template } = await platformTemplate());
});

/** Permissions every function has: its own log group, X-Ray, and its organization's items. */
function baseLines(name: string): string[] {
  const fn = stack.functions.functions.get(name);
  const logs = `<${logicalIdOf(fn?.logGroup)}.Arn>`;
  const table = `<${logicalIdOf(stack.metadata.table)}.Arn>`;
  const tenant = '{"ForAllValues:StringLike":{"dynamodb:LeadingKeys":["ORG#default","ORG#default#*"]}}';
  return [
    ...['GetItem', 'PutItem', 'Query', 'UpdateItem'].map(
      (action) => `dynamodb:${action} ${table} if ${tenant}`,
    ),
    `logs:CreateLogStream ${logs}`,
    `logs:PutLogEvents ${logs}`,
    'xray:PutTelemetryRecords *',
    'xray:PutTraceSegments *',
  ];
}

function linesOf(name: string): string[] {
  return permissionLines(template, logicalIdOf(stack.functions.functions.get(name)?.function.role));
}

const bucket = (name: 'staging' | 'landing' | 'data') => `<${logicalIdOf(stack.buckets[name])}.Arn>`;

describe('EtlPlatformStack', () => {
  describe('buckets', () => {
    it('encrypts, blocks public access and logs every bucket', () => {
      const buckets = template.findResources('AWS::S3::Bucket');

      for (const [id, resource] of Object.entries(buckets)) {
        const properties = (resource as { Properties: Record<string, unknown> }).Properties;
        expect(properties.BucketEncryption, id).toStrictEqual({
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        });
        expect(properties.PublicAccessBlockConfiguration, id).toStrictEqual({
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        });
        if (id !== logicalIdOf(stack.buckets.accessLogs))
          expect(properties.LoggingConfiguration, id).toBeDefined();
      }
    });

    it('denies every request without TLS 1.2 on every bucket', () => {
      const buckets = Object.keys(template.findResources('AWS::S3::Bucket'));
      const policies = template.findResources('AWS::S3::BucketPolicy', {
        Properties: {
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
              Match.objectLike({ Effect: 'Deny', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
            ]),
          },
        },
      });

      const covered = Object.values(policies).map(
        (policy) => (policy as { Properties: { Bucket: { Ref: string } } }).Properties.Bucket.Ref,
      );
      expect(covered.sort()).toStrictEqual(buckets.sort());
    });

    it('expires staged chunks and sends landing events to EventBridge', () => {
      template.hasResourceProperties('AWS::S3::Bucket', {
        LifecycleConfiguration: {
          Rules: Match.arrayWith([
            Match.objectLike({ Prefix: 'runs/', ExpirationInDays: 7, Status: 'Enabled' }),
          ]),
        },
      });
      template.hasResourceProperties('AWS::S3::Bucket', {
        NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } },
        VersioningConfiguration: { Status: 'Enabled' },
      });
    });
  });

  describe('metadata table', () => {
    it('has the key schema of the shared definition, on demand, with PITR, TTL and deletion protection', () => {
      const definition = metadataTableDefinition('any');

      template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
        KeySchema: definition.KeySchema,
        AttributeDefinitions: definition.AttributeDefinitions,
        BillingMode: 'PAY_PER_REQUEST',
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        Replicas: [
          Match.objectLike({
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
            DeletionProtectionEnabled: true,
          }),
        ],
      });
      template.hasResource('AWS::DynamoDB::GlobalTable', { DeletionPolicy: 'Retain' });
    });
  });

  describe('functions', () => {
    it('deploys one function per module of the registry, per control function and fused-chain', () => {
      const expected = [
        ...CONTROL_FUNCTION_NAMES,
        ...DATA_PLANE_FUNCTION_NAMES,
        ...registry.list().map((module) => module.name),
      ];

      expect([...stack.functions.functions.keys()].sort()).toStrictEqual(expected.sort());
      // Besides them: s3-trigger and scheduled-run (trigger-functions.ts), notify (run-alerting.ts),
      // the API (rest-api.ts) and aws-cdk-lib's BucketDeployment handler (function ARNs, console).
      template.resourceCountIs('AWS::Lambda::Function', expected.length + 5);
    });

    it('runs every module on Node 22, x86_64, with the DuckDB layer, sized from the registry', () => {
      for (const module of registry.list()) {
        const fn = stack.functions.functions.get(module.name);
        template.hasResourceProperties('AWS::Lambda::Function', {
          FunctionName: Match.absent(),
          Description: Match.stringLikeRegexp(`^ETL ${module.kind} ${module.name}:`),
          Runtime: 'nodejs22.x',
          Architectures: ['x86_64'],
          Handler: 'index.handler',
          MemorySize: module.lambda.memoryMb,
          Timeout: module.lambda.timeoutSeconds,
          Layers: [{ Ref: logicalIdOf(stack.functions.duckDbLayer.layer) }],
          TracingConfig: { Mode: 'Active' },
          LoggingConfig: { LogGroup: { Ref: logicalIdOf(fn?.logGroup) } },
        });
      }
      template.hasResourceProperties('AWS::Lambda::LayerVersion', { CompatibleArchitectures: ['x86_64'] });
    });

    it('runs fused-chain with the DuckDB layer, sized for the largest module', () => {
      const modules = registry.list();

      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: Match.stringLikeRegexp(`^ETL ${FUSED_CHAIN}:`),
        Runtime: 'nodejs22.x',
        Architectures: ['x86_64'],
        MemorySize: Math.max(...modules.map((module) => module.lambda.memoryMb)),
        Timeout: Math.max(...modules.map((module) => module.lambda.timeoutSeconds)),
        Layers: [{ Ref: logicalIdOf(stack.functions.duckDbLayer.layer) }],
      });
      expect(stack.functions.duckDbFunctions.has(FUSED_CHAIN)).toBe(true);
    });

    it('runs the control functions on Node 22, arm64, without DuckDB', () => {
      for (const name of CONTROL_FUNCTION_NAMES) {
        template.hasResourceProperties('AWS::Lambda::Function', {
          Description: `ETL ${name}: run lifecycle`,
          Runtime: 'nodejs22.x',
          Architectures: ['arm64'],
          Layers: Match.absent(),
        });
      }
    });

    it('gives every function the environment the handlers read at cold start', () => {
      const functions = template.findResources('AWS::Lambda::Function');
      // Run-end reporters publish to the notifications topic; trigger functions start executions.
      const topic = { ETL_NOTIFICATIONS_TOPIC_ARN: { Ref: logicalIdOf(stack.notifications.topic) } };
      const starter = {
        ETL_PIPELINE_ROLE_ARN: { 'Fn::GetAtt': [logicalIdOf(stack.pipelineRuntime.executionRole), 'Arn'] },
        ETL_ACCOUNT_ID: { Ref: 'AWS::AccountId' },
        // The API names its machines under this prefix: the triggers must start those.
        ETL_STATE_MACHINE_PREFIX: 'EtlPlatform-',
      };
      const extra = new Map<string, object>([
        [logicalIdOf(stack.functions.functions.get('control-finalize')?.function), topic],
        [logicalIdOf(stack.functions.functions.get('control-on-failure')?.function), topic],
        [logicalIdOf(stack.alerting.notify.function), topic],
        [logicalIdOf(stack.triggers.s3Trigger.function), starter],
        [logicalIdOf(stack.triggers.scheduledRun.function), starter],
      ]);
      const api = logicalIdOf(stack.api.handler.function);

      for (const [id, resource] of Object.entries(functions)) {
        // The API's environment has its own test; the BucketDeployment handler is aws-cdk-lib's.
        if (id === api || id.startsWith('CustomCDKBucketDeployment')) continue;
        const variables = (
          resource as { Properties: { Environment: { Variables: Record<string, unknown> } } }
        ).Properties.Environment.Variables;
        expect(variables).toStrictEqual({
          ETL_STAGING_BUCKET: { Ref: logicalIdOf(stack.buckets.staging) },
          ETL_METADATA_TABLE: { Ref: logicalIdOf(stack.metadata.table) },
          ETL_ORGANIZATION: 'default',
          POWERTOOLS_LOG_LEVEL: 'INFO',
          NODE_OPTIONS: '--enable-source-maps',
          ...extra.get(id),
        });
      }
    });

    it('lets the CSV extractor read its sources and write only chunks', () => {
      expect(linesOf('s3-csv')).toStrictEqual(
        [
          ...baseLines('s3-csv'),
          `s3:GetObject ${bucket('data')}/*`,
          `s3:GetObject ${bucket('landing')}/*`,
          `s3:GetObject ${bucket('staging')}/runs/*`,
          `s3:ListBucket ${bucket('data')}`,
          `s3:ListBucket ${bucket('landing')}`,
          `s3:ListBucket ${bucket('staging')} if {"StringLike":{"s3:prefix":["runs/*"]}}`,
          `s3:PutObject ${bucket('staging')}/runs/*`,
        ].sort(),
      );
    });

    it('keeps the filter transform inside the staging runs/ prefix', () => {
      expect(linesOf('filter')).toStrictEqual(
        [
          ...baseLines('filter'),
          `s3:GetObject ${bucket('staging')}/runs/*`,
          `s3:ListBucket ${bucket('staging')} if {"StringLike":{"s3:prefix":["runs/*"]}}`,
          `s3:PutObject ${bucket('staging')}/runs/*`,
        ].sort(),
      );
    });

    it('lets the Parquet loader publish into the data bucket, and read nothing outside staging', () => {
      expect(linesOf('s3-parquet')).toStrictEqual(
        [
          ...baseLines('s3-parquet'),
          `s3:GetObject ${bucket('staging')}/runs/*`,
          `s3:ListBucket ${bucket('staging')} if {"StringLike":{"s3:prefix":["runs/*"]}}`,
          `s3:PutObject ${bucket('data')}/*`,
          `s3:PutObject ${bucket('staging')}/runs/*`,
        ].sort(),
      );
    });

    it('grants fused-chain what any module of a stage may need: sources, targets and connection secrets', () => {
      expect(linesOf(FUSED_CHAIN)).toStrictEqual(
        [
          ...baseLines(FUSED_CHAIN),
          `s3:GetObject ${bucket('data')}/*`,
          `s3:GetObject ${bucket('landing')}/*`,
          `s3:GetObject ${bucket('staging')}/runs/*`,
          `s3:ListBucket ${bucket('data')}`,
          `s3:ListBucket ${bucket('landing')}`,
          `s3:ListBucket ${bucket('staging')} if {"StringLike":{"s3:prefix":["runs/*"]}}`,
          `s3:PutObject ${bucket('data')}/*`,
          `s3:PutObject ${bucket('staging')}/runs/*`,
          'secretsmanager:GetSecretValue arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:etl/default/connections/*',
          'dynamodb:BatchWriteItem arn:<AWS::Partition>:dynamodb:<AWS::Region>:<AWS::AccountId>:table/*',
          'dynamodb:DescribeTable arn:<AWS::Partition>:dynamodb:<AWS::Region>:<AWS::AccountId>:table/*',
          'dynamodb:Scan arn:<AWS::Partition>:dynamodb:<AWS::Region>:<AWS::AccountId>:table/*',
        ].sort(),
      );
    });

    it("gives connection-based connectors their organization's connection secrets, and no bucket", () => {
      const connectors = registry.list().filter((module) => moduleNeeds(module).connectionSecrets);

      const table = `<${logicalIdOf(stack.metadata.table)}.Arn>`;
      // The webhook loader's commit is guarded by Powertools Idempotency: it deletes its own failed attempts' records.
      const idempotency = `dynamodb:DeleteItem ${table} if {"ForAllValues:StringLike":{"dynamodb:LeadingKeys":["ORG#default#IDEMPOTENCY#commit-webhook"]}}`;
      for (const { name } of connectors) {
        expect(linesOf(name)).toStrictEqual(
          [
            ...baseLines(name),
            ...(name === 'webhook' ? [idempotency] : []),
            `s3:GetObject ${bucket('staging')}/runs/*`,
            `s3:ListBucket ${bucket('staging')} if {"StringLike":{"s3:prefix":["runs/*"]}}`,
            `s3:PutObject ${bucket('staging')}/runs/*`,
            'secretsmanager:GetSecretValue arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:etl/default/connections/*',
          ].sort(),
        );
      }
    });

    it("lets the DynamoDB connectors scan or write the account's tables, never the platform's own", () => {
      const tables = 'arn:<AWS::Partition>:dynamodb:<AWS::Region>:<AWS::AccountId>:table/*';
      const staging = [
        `s3:GetObject ${bucket('staging')}/runs/*`,
        `s3:ListBucket ${bucket('staging')} if {"StringLike":{"s3:prefix":["runs/*"]}}`,
        `s3:PutObject ${bucket('staging')}/runs/*`,
      ];

      expect(linesOf('dynamodb')).toStrictEqual(
        [
          ...baseLines('dynamodb'),
          ...staging,
          `dynamodb:DescribeTable ${tables}`,
          `dynamodb:Scan ${tables}`,
        ].sort(),
      );
      expect(linesOf('dynamodb-load')).toStrictEqual(
        [
          ...baseLines('dynamodb-load'),
          ...staging,
          `dynamodb:BatchWriteItem ${tables}`,
          `dynamodb:DescribeTable ${tables}`,
        ].sort(),
      );
      const metadataTable = { 'Fn::GetAtt': [logicalIdOf(stack.metadata.table), 'Arn'] };
      for (const [name, actions] of [
        ['dynamodb', ['dynamodb:DescribeTable', 'dynamodb:Scan']],
        ['dynamodb-load', ['dynamodb:BatchWriteItem', 'dynamodb:DescribeTable']],
      ] as const) {
        const role = logicalIdOf(stack.functions.functions.get(name)?.function.role);
        const policies = template.findResources('AWS::IAM::Policy', {
          Properties: { Roles: Match.arrayWith([{ Ref: role }]) },
        });
        const statements = Object.values(policies).flatMap(
          (policy) =>
            (policy as { Properties: { PolicyDocument: { Statement: { Effect: string }[] } } }).Properties
              .PolicyDocument.Statement,
        );
        expect(statements.filter((statement) => statement.Effect === 'Deny')).toStrictEqual([
          { Action: [...actions], Effect: 'Deny', Resource: metadataTable },
        ]);
      }
    });

    it('lets the control functions touch the store only, and Finalize and OnFailure report the run', () => {
      const table = `<${logicalIdOf(stack.metadata.table)}.Arn>`;
      const key = `<${logicalIdOf(stack.notifications.key)}.Arn>`;
      const reporting = [
        `dynamodb:DeleteItem ${table} if {"ForAllValues:StringLike":{"dynamodb:LeadingKeys":["ORG#default#CLAIMS"]}}`,
        `kms:Decrypt ${key}`,
        `kms:GenerateDataKey* ${key}`,
        `s3:GetObject ${bucket('staging')}/runs/*`,
        `s3:ListBucket ${bucket('staging')} if {"StringLike":{"s3:prefix":["runs/*"]}}`,
        'secretsmanager:GetSecretValue arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:etl/default/connections/*',
        `sns:Publish <${logicalIdOf(stack.notifications.topic)}>`,
      ];
      for (const name of CONTROL_FUNCTION_NAMES) {
        const reports = name === 'control-finalize' || name === 'control-on-failure';
        // Finalize runs once per run under Powertools Idempotency, which deletes a failed attempt's record.
        const idempotency =
          name === 'control-finalize'
            ? [
                `dynamodb:DeleteItem ${table} if {"ForAllValues:StringLike":{"dynamodb:LeadingKeys":["ORG#default#IDEMPOTENCY#finalize"]}}`,
              ]
            : [];
        expect(linesOf(name)).toStrictEqual(
          [...baseLines(name), ...(reports ? reporting : []), ...idempotency].sort(),
        );
      }
    });

    it('publishes every function ARN in SSM for the API to translate with', () => {
      const parameter = template.findResources('AWS::SSM::Parameter', {
        Properties: { Name: '/etl/EtlPlatform/function-arns' },
      });
      const value = JSON.stringify(Object.values(parameter)[0]);

      for (const fn of stack.functions.functions.values()) {
        expect(value).toContain(`"Fn::GetAtt":["${logicalIdOf(fn.function)}","Arn"]`);
      }
    });
  });

  describe('alarms', () => {
    it('alarms on failed and timed-out executions, undelivered notifications, and every function', () => {
      const functions = stack.functions.functions.size;
      const topic = { Ref: logicalIdOf(stack.notifications.topic) };

      template.resourceCountIs('AWS::CloudWatch::Alarm', 3 + 2 * functions);
      const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
      for (const alarm of alarms) {
        expect((alarm as { Properties: { AlarmActions: unknown } }).Properties.AlarmActions).toStrictEqual([
          topic,
        ]);
      }
      for (const metric of ['Errors', 'Throttles']) {
        const found = template.findResources('AWS::CloudWatch::Alarm', {
          Properties: { Namespace: 'AWS/Lambda', MetricName: metric },
        });
        expect(Object.keys(found)).toHaveLength(functions);
      }
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Events',
        MetricName: 'MatchedEvents',
        Dimensions: [
          { Name: 'RuleName', Value: { Ref: logicalIdOf(stack.notifications.executionTimedOut) } },
        ],
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
      });
    });

    it('notifies on executions of every pipeline machine, present or created later', () => {
      template.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: {
          source: ['aws.states'],
          'detail-type': ['Step Functions Execution Status Change'],
          detail: {
            status: ['TIMED_OUT'],
            stateMachineArn: [
              {
                prefix: {
                  'Fn::Join': ['', Match.arrayWith([':stateMachine:EtlPlatform-'])],
                },
              },
            ],
          },
        },
        Targets: [Match.objectLike({ DeadLetterConfig: Match.anyValue() })],
      });
      template.hasResourceProperties('AWS::SNS::Topic', {
        KmsMasterKeyId: Match.anyValue(),
      });
    });
  });

  describe('console', () => {
    it('serves a private bucket through CloudFront with origin access control', () => {
      const oac = logicalIdOf(stack.node.findAll().find((c) => c.node.id === 'S3OriginAccessControl'));

      template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
        OriginAccessControlConfig: Match.objectLike({
          OriginAccessControlOriginType: 's3',
          SigningBehavior: 'always',
        }),
      });
      template.hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({
          Origins: [Match.objectLike({ OriginAccessControlId: { 'Fn::GetAtt': [oac, 'Id'] } })],
          DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https' }),
          DefaultRootObject: 'index.html',
        }),
      });
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: logicalIdOf(stack.console.siteBucket) },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Action: 's3:GetObject',
              Principal: { Service: 'cloudfront.amazonaws.com' },
              Condition: Match.objectLike({
                StringEquals: Match.objectLike({ 'AWS:SourceArn': Match.anyValue() }),
              }),
            }),
          ]),
        },
      });
    });

    it('adds security headers to every response', () => {
      template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
        ResponseHeadersPolicyConfig: Match.objectLike({
          SecurityHeadersConfig: Match.objectLike({
            StrictTransportSecurity: Match.objectLike({ AccessControlMaxAgeSec: 31_536_000, Override: true }),
            ContentSecurityPolicy: Match.objectLike({
              ContentSecurityPolicy: Match.stringLikeRegexp("frame-ancestors 'none'"),
            }),
            FrameOptions: { FrameOption: 'DENY', Override: true },
            ContentTypeOptions: { Override: true },
          }),
        }),
      });
    });
  });

  describe('users and schedules', () => {
    it('has a user pool with MFA, no self sign-up, and one group per role', () => {
      template.hasResourceProperties('AWS::Cognito::UserPool', {
        MfaConfiguration: 'ON',
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        Schema: Match.arrayWith([Match.objectLike({ Name: 'organization', Mutable: false })]),
      });
      for (const role of ['Admin', 'Developer', 'Viewer']) {
        template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: role });
      }
    });

    it('lets EventBridge Scheduler start only the platform state machines, through the scheduled-run function', () => {
      expect(permissionLines(template, logicalIdOf(stack.schedules.role))).toStrictEqual([
        `lambda:InvokeFunction <${logicalIdOf(stack.triggers.scheduledRun.function)}.Arn>`,
        'states:StartExecution arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:stateMachine:EtlPlatform-*',
      ]);
      template.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: 'EtlPlatform-pipelines' });
    });
  });
});
