/**
 * What pipeline schedules need in place before the API creates them: an
 * EventBridge Scheduler group holding them (deleted together with it) and the
 * role Scheduler assumes to start an execution of a pipeline state machine.
 */
import { Aws, Stack } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { acknowledgeWildcardResources } from '../grants/nag-acknowledgements.ts';

export interface ScheduleSupportProps {
  /** Name prefix of the pipeline state machines that schedules may start. */
  readonly stateMachineNamePrefix: string;
}

export class ScheduleSupport extends Construct {
  readonly group: CfnScheduleGroup;
  readonly role: Role;

  constructor(scope: Construct, id: string, props: ScheduleSupportProps) {
    super(scope, id);
    this.group = new CfnScheduleGroup(this, 'Group', { name: `${Stack.of(this).stackName}-pipelines` });

    this.role = new Role(this, 'Role', {
      // Only schedules of this account may use the role (confused-deputy guard).
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
      }),
      description: 'EventBridge Scheduler starts pipeline executions with this role',
    });
    const pipelineMachines = `arn:${Aws.PARTITION}:states:${Aws.REGION}:${Aws.ACCOUNT_ID}:stateMachine:${props.stateMachineNamePrefix}*`;
    this.role.addToPolicy(
      new PolicyStatement({ actions: ['states:StartExecution'], resources: [pipelineMachines] }),
    );
    acknowledgeWildcardResources(
      this.role,
      [pipelineMachines],
      'Schedules start state machines the API creates after deployment; the wildcard covers only names with the platform prefix.',
    );
  }
}
