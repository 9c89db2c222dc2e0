/**
 * A pipeline deployed as a Step Functions state machine whose definition is
 * exactly `translatePipeline`'s ASL, resolved against the deployed function
 * ARNs. Its role may invoke only the functions that ASL names.
 */
import { Annotations, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { gitStateMachineName } from '../../shared/executions/state-machine-name.ts';
import type { Pipeline } from '../../shared/spec/schema.ts';
import type { StateMachineDefinition } from '../../statemachines/asl-types.ts';
import { deployedArnResolver, type FunctionName } from '../../statemachines/function-names.ts';
import { pipelineIdOf } from '../../statemachines/pipeline-id.ts';
import { translatePipeline } from '../../statemachines/translate.ts';
import { grantDistributedMapAccess, hasDistributedMap } from '../grants/state-machine-access.ts';
import type { PipelineRuntime } from './pipeline-runtime.ts';

export interface PipelineStateMachineProps {
  /** A pipeline that passed `validatePipeline`. */
  readonly pipeline: Pipeline;
  /** Deployed ARN (token) of every function, by name. */
  readonly functionArns: Readonly<Record<FunctionName, string>>;
  readonly runtime: PipelineRuntime;
}

export class PipelineStateMachine extends Construct {
  readonly stateMachine: StateMachine;
  /** The translator's ASL, ARNs as CDK tokens: what the deployed definition renders from. */
  readonly definition: StateMachineDefinition;
  /** Functions the definition invokes. */
  readonly invokedFunctions: readonly FunctionName[];

  constructor(scope: Construct, id: string, props: PipelineStateMachineProps) {
    super(scope, id);
    const { pipeline, runtime } = props;
    // Its own namespace beside the API's machines: a pipeline saved through the API never updates it.
    const name = gitStateMachineName(runtime.stateMachineNamePrefix, pipelineIdOf(pipeline));

    const invoked = new Set<FunctionName>();
    const resolveDeployed = deployedArnResolver(props.functionArns);
    this.definition = translatePipeline(pipeline, {
      resolveFunctionArn: (functionName) => {
        invoked.add(functionName);
        return resolveDeployed(functionName);
      },
    });
    this.invokedFunctions = [...invoked].sort();

    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineName: name,
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromString(Stack.of(this).toJsonString(this.definition)),
      logs: { destination: runtime.logGroup, level: LogLevel.ALL, includeExecutionData: false },
      tracingEnabled: true,
    });
    this.stateMachine.addToRolePolicy(
      new PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: this.invokedFunctions.map((functionName) => resolveDeployed(functionName)),
      }),
    );

    if (hasDistributedMap(this.definition)) {
      grantDistributedMapAccess(this.stateMachine.role, name, runtime.staging);
    }
    Validations.of(this.stateMachine).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'CloudWatch Logs vended-log delivery and X-Ray trace submission support no resource-level permissions.',
    });

    const { on_failure, on_success } = pipeline.notifications;
    if (pipeline.schedule || pipeline.triggers.length > 0 || on_failure.length + on_success.length > 0) {
      // Schedules need the 5-field cron converter, triggers the s3-trigger function and
      // per-pipeline notifications the notify function: none exists yet.
      Annotations.of(this).addWarningV2(
        'etl:pipeline-extras-not-deployed',
        `pipeline ${pipelineIdOf(pipeline)}: its schedule, S3 triggers and notifications are not deployed from git yet; start runs by hand or through the API`,
      );
    }
  }
}
