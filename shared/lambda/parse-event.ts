/** Events and configs are parsed through their schemas, never trusted. */
import type { z } from 'zod';
import { ConfigError, InvalidEventError } from '../errors.ts';
import type { AnyModuleDefinition } from '../modules/types.ts';

function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((issue) => `/${issue.path.map(String).join('/')}: ${issue.message}`).join('; ');
}

export function parseEvent<TSchema extends z.ZodType>(
  schema: TSchema,
  event: unknown,
  handlerName: string,
): z.output<TSchema> {
  const result = schema.safeParse(event);
  if (!result.success) {
    throw new InvalidEventError(
      `${handlerName} received an invalid event: ${describeIssues(result.error.issues)}`,
    );
  }
  return result.data;
}

/** Parses a node's config with its module schema and runs the module's deeper checks. */
export async function parseNodeConfig<TModule extends AnyModuleDefinition>(
  module: TModule,
  nodeId: string,
  config: unknown,
): Promise<z.output<TModule['configSchema']>> {
  const result = module.configSchema.safeParse(config);
  if (!result.success) {
    throw new ConfigError(
      `node ${nodeId} (${module.name}): invalid config: ${describeIssues(result.error.issues)}`,
    );
  }
  const issues = (await module.checkConfig?.(result.data)) ?? [];
  if (issues.length > 0) {
    const text = issues.map((issue) => `/${issue.path.map(String).join('/')}: ${issue.message}`).join('; ');
    throw new ConfigError(`node ${nodeId} (${module.name}): invalid config: ${text}`);
  }
  return result.data as z.output<TModule['configSchema']>;
}
