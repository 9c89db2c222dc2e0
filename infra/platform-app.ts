/**
 * Builds the CDK app from context: the settings, the pipelines kept in git
 * (validated first, all problems at once) and the stack, with cdk-nag's
 * AwsSolutions checks as a synthesis validation. Used by `infra/app.ts`, the
 * stack tests and the bundle benchmark alike.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { registry } from '../shared/modules/registry.ts';
import { PROJECT_ROOT } from './bundling/function-bundling.ts';
import { loadPipelineFiles } from './pipeline-files.ts';
import { readSettings } from './settings.ts';
import { EtlPlatformStack } from './stacks/platform-stack.ts';

export interface PlatformApp {
  readonly app: App;
  readonly stack: EtlPlatformStack;
}

/**
 * cdk.json's context (feature flags frozen as `cdk init` does): the CLI passes
 * it to the app, and tests and benchmarks that build the app in-process read
 * it here, so every synthesis uses the same flags.
 */
export function cdkJsonContext(): Record<string, unknown> {
  const config = JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as { context?: object };
  return { ...config.context };
}

function fromRoot(path: string): string {
  return isAbsolute(path) ? path : join(PROJECT_ROOT, path);
}

export interface PlatformAppOptions {
  /**
   * Run cdk-nag's AwsSolutions checks when the app is synthesized.
   * @default true
   */
  readonly policyChecks?: boolean;
}

export async function createPlatformApp(
  props: AppProps = {},
  options: PlatformAppOptions = {},
): Promise<PlatformApp> {
  const app = new App({ ...props, context: { ...cdkJsonContext(), ...props.context } });
  const settings = readSettings(app.node);
  const pipelines = await loadPipelineFiles(fromRoot(settings.pipelinesDir), registry);
  const consoleDir = fromRoot(settings.consoleDir);

  const stack = new EtlPlatformStack(app, settings.stackName, {
    description: 'Serverless ETL platform: pipelines as Step Functions state machines, one Lambda per module',
    organization: settings.organization,
    pipelines,
    duckDbArchitecture: settings.duckDbArchitecture,
    extraSourceBuckets: settings.extraSourceBuckets,
    extraTargetBuckets: settings.extraTargetBuckets,
    ...(settings.notificationEmail ? { notificationEmail: settings.notificationEmail } : {}),
    ...(settings.cognitoDomainPrefix ? { cognitoDomainPrefix: settings.cognitoDomainPrefix } : {}),
    ...(existsSync(join(consoleDir, 'index.html')) ? { consoleSiteDir: consoleDir } : {}),
  });
  if (options.policyChecks ?? true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}
