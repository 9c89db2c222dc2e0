/**
 * The whole platform in one environment-agnostic stack: storage, metadata,
 * functions, pipelines from git, notifications, monitoring, users, schedules,
 * the REST API and the console. Stateful resources are retained when the stack goes.
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Architecture } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { ConsoleHosting } from '../constructs/console-hosting.ts';
import { CustomFunctions, customFunctionFolders } from '../constructs/custom-functions.ts';
import { GitPipelines } from '../constructs/git-pipelines.ts';
import { MetadataTable } from '../constructs/metadata-table.ts';
import { PipelineRuntime } from '../constructs/pipeline-runtime.ts';
import { PlatformBuckets } from '../constructs/platform-buckets.ts';
import { PlatformFunctions } from '../constructs/platform-functions.ts';
import { PlatformMonitoring } from '../constructs/platform-monitoring.ts';
import { RestApi } from '../constructs/rest-api.ts';
import { RunAlerting } from '../constructs/run-alerting.ts';
import { RunNotifications } from '../constructs/run-notifications.ts';
import { ScheduleSupport } from '../constructs/schedule-support.ts';
import { TriggerFunctions } from '../constructs/trigger-functions.ts';
import { UserDirectory } from '../constructs/user-directory.ts';
import type { PipelineFile } from '../pipeline-files.ts';

export interface EtlPlatformStackProps extends StackProps {
  /** Tenant the functions write as. */
  readonly organization: string;
  /** Validated pipelines to deploy as state machines. */
  readonly pipelines: readonly PipelineFile[];
  /**
   * Architecture of the functions that run DuckDB.
   * @default PlatformFunctions' default (x86_64)
   */
  readonly duckDbArchitecture?: Architecture;
  /**
   * User `custom` function folders to deploy besides those the pipelines name
   * (for pipelines created later through the API), relative to the repository root.
   * @default none
   */
  readonly customFunctionFolders?: readonly string[];
  /**
   * Address subscribed to the notifications topic.
   * @default none
   */
  readonly notificationEmail?: string;
  /**
   * Buckets by name that extractors may read besides landing and data.
   * @default none
   */
  readonly extraSourceBuckets?: readonly string[];
  /**
   * Buckets by name that loaders may write besides data.
   * @default none
   */
  readonly extraTargetBuckets?: readonly string[];
  /**
   * Built console to upload.
   * @default none: the console bucket starts empty
   */
  readonly consoleSiteDir?: string;
  /**
   * Prefix of the console's hosted sign-in domain (`<prefix>.auth.<region>.amazoncognito.com`).
   * @default UserDirectory's default: `<stack name in lower case>-<account id>`
   */
  readonly cognitoDomainPrefix?: string;
}

export class EtlPlatformStack extends Stack {
  readonly buckets: PlatformBuckets;
  readonly metadata: MetadataTable;
  readonly functions: PlatformFunctions;
  readonly customFunctions: CustomFunctions;
  readonly pipelineRuntime: PipelineRuntime;
  readonly gitPipelines: GitPipelines;
  readonly notifications: RunNotifications;
  readonly monitoring: PlatformMonitoring;
  readonly users: UserDirectory;
  readonly schedules: ScheduleSupport;
  readonly console: ConsoleHosting;
  readonly triggers: TriggerFunctions;
  readonly alerting: RunAlerting;
  readonly api: RestApi;

  constructor(scope: Construct, id: string, props: EtlPlatformStackProps) {
    super(scope, id, props);

    this.buckets = new PlatformBuckets(this, 'Buckets');
    this.metadata = new MetadataTable(this, 'Metadata');
    this.functions = new PlatformFunctions(this, 'Functions', {
      buckets: this.buckets,
      table: this.metadata.table,
      organization: props.organization,
      ...(props.duckDbArchitecture ? { duckDbArchitecture: props.duckDbArchitecture } : {}),
      ...(props.extraSourceBuckets ? { extraSourceBuckets: props.extraSourceBuckets } : {}),
      ...(props.extraTargetBuckets ? { extraTargetBuckets: props.extraTargetBuckets } : {}),
    });
    // Before the runtime and the pipelines read the functions' ARNs: these add theirs.
    this.customFunctions = new CustomFunctions(this, 'CustomFunctions', {
      folders: [
        ...customFunctionFolders(props.pipelines.map((file) => file.pipeline)),
        ...(props.customFunctionFolders ?? []),
      ],
      functions: this.functions,
      buckets: this.buckets,
      table: this.metadata.table,
      organization: props.organization,
      ...(props.duckDbArchitecture ? { duckDbArchitecture: props.duckDbArchitecture } : {}),
    });
    this.pipelineRuntime = new PipelineRuntime(this, 'PipelineRuntime', {
      functions: this.functions,
      staging: this.buckets.staging,
    });
    const { stateMachineNamePrefix } = this.pipelineRuntime;
    this.gitPipelines = new GitPipelines(this, 'Pipelines', {
      pipelines: props.pipelines,
      functions: this.functions,
      runtime: this.pipelineRuntime,
    });
    this.notifications = new RunNotifications(this, 'Notifications', {
      stateMachineNamePrefix,
      ...(props.notificationEmail ? { email: props.notificationEmail } : {}),
    });
    this.monitoring = new PlatformMonitoring(this, 'Monitoring', {
      functions: this.functions,
      notifications: this.notifications,
      stateMachineNamePrefix,
    });
    // The console's address comes first: the sign-in client redirects to it and the API admits it.
    this.console = new ConsoleHosting(this, 'Console', {
      accessLogs: this.buckets.accessLogs,
      ...(props.consoleSiteDir ? { siteDir: props.consoleSiteDir } : {}),
    });
    this.users = new UserDirectory(this, 'Users', {
      consoleUrl: this.console.url,
      ...(props.cognitoDomainPrefix ? { domainPrefix: props.cognitoDomainPrefix } : {}),
    });
    this.schedules = new ScheduleSupport(this, 'Schedules', { stateMachineNamePrefix });
    this.triggers = new TriggerFunctions(this, 'Triggers', {
      table: this.metadata.table,
      staging: this.buckets.staging,
      watchedBuckets: [this.buckets.landing],
      organization: props.organization,
      stateMachineNamePrefix,
      pipelineRole: this.pipelineRuntime.executionRole,
      schedulerRole: this.schedules.role,
    });
    this.alerting = new RunAlerting(this, 'Alerting', {
      table: this.metadata.table,
      staging: this.buckets.staging,
      organization: props.organization,
      topic: this.notifications.topic,
      stateMachineNamePrefix,
      runEndFunctions: ['control-finalize', 'control-on-failure'].flatMap((name) => {
        const fn = this.functions.functions.get(name);
        return fn ? [fn] : [];
      }),
      deadLetters: this.notifications.deadLetters,
    });
    this.api = new RestApi(this, 'Api', {
      table: this.metadata.table,
      staging: this.buckets.staging,
      organization: props.organization,
      users: this.users,
      functions: this.functions,
      runtime: this.pipelineRuntime,
      scheduleGroup: this.schedules.group,
      schedulerRole: this.schedules.role,
      scheduledRunFunction: this.triggers.scheduledRun.function,
      allowedOrigins: [this.consoleOrigin()],
    });
    // Last: the console's config.json names the API and the sign-in client.
    this.console.deploySite({ apiBase: this.api.api.url, cognito: this.users.consoleSignIn() });

    this.outputs();
  }

  /** The console's origin as browsers send it (no path): CloudFront's default domain. */
  private consoleOrigin(): string {
    return `https://${this.console.distribution.distributionDomainName}`;
  }

  /** What the deployment guide and the API read after `cdk deploy`. */
  private outputs(): void {
    const outputs: Record<string, string> = {
      LandingBucket: this.buckets.landing.bucketName,
      DataBucket: this.buckets.data.bucketName,
      StagingBucket: this.buckets.staging.bucketName,
      MetadataTable: this.metadata.table.tableName,
      FunctionArnsParameter: this.pipelineRuntime.functionArnsParameter.parameterName,
      PipelineRuntimeParameter: this.pipelineRuntime.runtimeParameter.parameterName,
      NotificationsTopic: this.notifications.topic.topicArn,
      UserPoolId: this.users.userPool.userPoolId,
      ConsoleClientId: this.users.consoleClient.userPoolClientId,
      ConsoleUrl: this.console.url,
      SignInDomain: this.users.domain.baseUrl(),
      ApiUrl: this.api.api.url,
      ScheduleGroup: this.schedules.group.ref,
      ScheduledRunFunctionArn: this.triggers.scheduledRun.function.functionArn,
      SchedulerRoleArn: this.schedules.role.roleArn,
    };
    for (const [id, value] of Object.entries(outputs)) new CfnOutput(this, id, { value });
  }
}
