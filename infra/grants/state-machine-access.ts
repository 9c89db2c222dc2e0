/**
 * What a pipeline state machine's role needs besides invoking its functions.
 * A Distributed Map starts child executions of its own machine, reads the
 * chunk list (ItemReader) and writes child results (ResultWriter) in the
 * staging bucket under `runs/` (shared/lambda/plan-result.ts); the policy is
 * the one AWS documents for Distributed Map.
 */
import { Aws } from 'aws-cdk-lib';
import { type IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { StateGraph } from '../../statemachines/asl-types.ts';
import { STAGING_RUNS_PREFIX } from '../constructs/platform-buckets.ts';
import { acknowledgeWildcardResources } from './nag-acknowledgements.ts';

/** Whether any Map of the graph, at any depth, runs its iterations as child executions. */
export function hasDistributedMap(graph: StateGraph): boolean {
  return Object.values(graph.States).some((state) => {
    if (state.Type === 'Map') {
      return (
        state.ItemProcessor.ProcessorConfig.Mode === 'DISTRIBUTED' || hasDistributedMap(state.ItemProcessor)
      );
    }
    if (state.Type === 'Parallel') return state.Branches.some(hasDistributedMap);
    return false;
  });
}

/**
 * `stateMachineName` may end in `*` to cover every machine of a prefix. ARNs
 * are built from the name, not referenced, so a machine's role can name the
 * machine without a dependency cycle.
 */
export function grantDistributedMapAccess(role: IRole, stateMachineName: string, staging: IBucket): void {
  const arn = (kind: string, name: string) =>
    `arn:${Aws.PARTITION}:states:${Aws.REGION}:${Aws.ACCOUNT_ID}:${kind}:${name}`;
  const childExecutions = arn('execution', `${stateMachineName}/*`);
  const stagingRuns = staging.arnForObjects(`${STAGING_RUNS_PREFIX}*`);
  const statements = [
    new PolicyStatement({
      actions: ['states:StartExecution'],
      resources: [arn('stateMachine', stateMachineName)],
    }),
    new PolicyStatement({
      actions: ['states:DescribeExecution', 'states:StopExecution'],
      resources: [childExecutions],
    }),
    new PolicyStatement({
      actions: ['s3:GetObject', 's3:PutObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload'],
      resources: [stagingRuns],
    }),
  ];
  for (const statement of statements) {
    role.addToPrincipalPolicy(statement);
    acknowledgeWildcardResources(
      role,
      statement.resources,
      'A Distributed Map names its child executions and result objects at run time: access is scoped to the machine (or the platform prefix) and to staging runs/.',
    );
  }
}
