/**
 * What every pipeline state machine shares, whether deployed from git by this
 * app or created later through the API: a name prefix (alarms and
 * notifications match on it), one log group, an execution role for
 * API-created machines, and the deployed function ARNs in SSM, which the API
 * hands to the translator's `deployedArnResolver`.
 */
import { RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { ParameterTier, StringParameter } from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { checkStateMachineNamePrefix } from '../../shared/executions/state-machine-name.ts';
import { grantDistributedMapAccess } from '../grants/state-machine-access.ts';
import type { PlatformFunctions } from './platform-functions.ts';

export interface PipelineRuntimeProps {
  readonly functions: PlatformFunctions;
  /** Where Distributed Maps read chunk lists and write child results. */
  readonly staging: IBucket;
  /**
   * Prefix of every pipeline state machine's name; git and API machines
   * follow it with `git-` and `api-` (shared/executions/state-machine-name.ts).
   * @default `<stack name>-`
   */
  readonly stateMachineNamePrefix?: string;
  /**
   * How long execution logs are kept.
   * @default RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: RetentionDays;
}

/** Vended-log delivery and X-Ray take no resource-level permissions: AWS documents `*` for them. */
const LOG_DELIVERY_ACTIONS = [
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
];
const TRACING_ACTIONS = [
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
];

export class PipelineRuntime extends Construct {
  readonly stateMachineNamePrefix: string;
  readonly staging: IBucket;
  readonly logGroup: LogGroup;
  /** The role API-created state machines run with: invoke the platform's functions, log, trace. */
  readonly executionRole: Role;
  /** JSON `{ "<function name>": "<arn>" }`. */
  readonly functionArnsParameter: StringParameter;
  /** JSON `{ stateMachineNamePrefix, executionRoleArn, logGroupArn }`. */
  readonly runtimeParameter: StringParameter;

  constructor(scope: Construct, id: string, props: PipelineRuntimeProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.stateMachineNamePrefix = props.stateMachineNamePrefix ?? `${stack.stackName}-`;
    // Fails at synthesis, not at the first API save, when no pipeline name would fit after it.
    if (!Token.isUnresolved(this.stateMachineNamePrefix))
      checkStateMachineNamePrefix(this.stateMachineNamePrefix);
    this.staging = props.staging;

    this.logGroup = new LogGroup(this, 'ExecutionLogs', {
      // Under /aws/vendedlogs/ so Step Functions' log delivery does not grow the account's
      // CloudWatch Logs resource policy with one entry per state machine.
      logGroupName: `/aws/vendedlogs/states/${stack.stackName}-pipelines`,
      retention: props.logRetention ?? RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const functionArns = props.functions.functionArns;
    this.executionRole = new Role(this, 'ExecutionRole', {
      assumedBy: new ServicePrincipal('states.amazonaws.com'),
      description: 'Runs pipeline state machines created through the API',
    });
    this.executionRole.addToPolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: Object.values(functionArns) }),
    );
    this.executionRole.addToPolicy(new PolicyStatement({ actions: LOG_DELIVERY_ACTIONS, resources: ['*'] }));
    this.executionRole.addToPolicy(new PolicyStatement({ actions: TRACING_ACTIONS, resources: ['*'] }));
    // Any pipeline the API creates may fan out through a Distributed Map.
    grantDistributedMapAccess(this.executionRole, `${this.stateMachineNamePrefix}*`, props.staging);
    Validations.of(this.executionRole).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'CloudWatch Logs vended-log delivery and X-Ray trace submission support no resource-level permissions.',
    });

    const parameterPrefix = `/etl/${stack.stackName}`;
    this.functionArnsParameter = new StringParameter(this, 'FunctionArns', {
      parameterName: `${parameterPrefix}/function-arns`,
      description: 'Deployed Lambda ARN of every ETL function, by name: input of deployedArnResolver',
      stringValue: stack.toJsonString(functionArns),
      // Standard (free, 4 KB) while it fits; advanced only once many modules make it larger.
      tier: ParameterTier.INTELLIGENT_TIERING,
    });
    this.runtimeParameter = new StringParameter(this, 'Settings', {
      parameterName: `${parameterPrefix}/pipeline-runtime`,
      description: 'Name prefix, execution role and log group for pipeline state machines',
      stringValue: stack.toJsonString({
        stateMachineNamePrefix: this.stateMachineNamePrefix,
        executionRoleArn: this.executionRole.roleArn,
        logGroupArn: this.logGroup.logGroupArn,
      }),
    });
  }
}
