/**
 * Pipelines kept in git, each deployed as its own state machine. The
 * construct id of each is the pipeline id, so renaming a pipeline replaces
 * its state machine and editing it updates the same one.
 */
import { CfnOutput } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { pipelineIdOf } from '../../statemachines/pipeline-id.ts';
import type { PipelineFile } from '../pipeline-files.ts';
import type { PipelineRuntime } from './pipeline-runtime.ts';
import { PipelineStateMachine } from './pipeline-state-machine.ts';
import type { PlatformFunctions } from './platform-functions.ts';

export interface GitPipelinesProps {
  /** Validated pipelines, from `loadPipelineFiles`. */
  readonly pipelines: readonly PipelineFile[];
  readonly functions: PlatformFunctions;
  readonly runtime: PipelineRuntime;
}

export class GitPipelines extends Construct {
  /** By pipeline id. */
  readonly stateMachines: ReadonlyMap<string, PipelineStateMachine>;

  constructor(scope: Construct, id: string, props: GitPipelinesProps) {
    super(scope, id);
    const functionArns = props.functions.functionArns;
    const stateMachines = new Map<string, PipelineStateMachine>();
    for (const { file, pipeline } of props.pipelines) {
      const pipelineId = pipelineIdOf(pipeline);
      const deployed = new PipelineStateMachine(this, pipelineId, {
        pipeline,
        functionArns,
        runtime: props.runtime,
      });
      new CfnOutput(deployed, 'Arn', {
        description: `State machine of ${file}`,
        value: deployed.stateMachine.stateMachineArn,
      });
      stateMachines.set(pipelineId, deployed);
    }
    this.stateMachines = stateMachines;
  }
}
