/**
 * The platform app as the stack tests see it: the real app and settings, the
 * example pipelines deployed from git, asset bundling skipped (CDK's
 * `aws:cdk:bundling-stacks`) and assets left in place rather than copied, so
 * a synthesis takes seconds. Bundling itself is tested on two functions and
 * on the DuckDB layer in their own tests.
 */
import { CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { createPlatformApp, type PlatformApp, type PlatformAppOptions } from '../../../infra/platform-app.ts';

export const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [], 'aws:cdk:disable-asset-staging': true };

export async function platformApp(
  context: Record<string, unknown> = {},
  options: PlatformAppOptions = { policyChecks: false },
): Promise<PlatformApp> {
  return createPlatformApp(
    { context: { ...NO_BUNDLING, 'etl:pipelinesDir': 'examples', ...context } },
    options,
  );
}

export async function platformTemplate(context: Record<string, unknown> = {}) {
  const platform = await platformApp(context);
  return { ...platform, template: Template.fromStack(platform.stack) };
}

/** The logical id a construct's CloudFormation resource gets in the template. */
export function logicalIdOf(construct: IConstruct | undefined): string {
  const cfn = construct?.node.defaultChild ?? construct;
  if (!(cfn instanceof CfnElement)) throw new Error(`${construct?.node.path} has no CloudFormation resource`);
  const stack = Stack.of(cfn);
  return String(stack.resolve(stack.getLogicalId(cfn)));
}
