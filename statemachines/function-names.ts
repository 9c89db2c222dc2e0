/**
 * Names of the Lambda functions a state machine invokes, and how they become
 * ARNs: fixed fake ARNs locally (the local runtime maps them back to
 * in-process handlers), the stack's real ARNs once deployed.
 */
import { TranslationError } from './errors.ts';

/** A module name (`s3-csv`, `filter`, ...) or one of the control functions below. */
export type FunctionName = string;

export const CONTROL_INIT: FunctionName = 'control-init';
export const CONTROL_FINALIZE: FunctionName = 'control-finalize';
export const CONTROL_ON_FAILURE: FunctionName = 'control-on-failure';
export const CONTROL_FUNCTION_NAMES: readonly FunctionName[] = [
  CONTROL_INIT,
  CONTROL_FINALIZE,
  CONTROL_ON_FAILURE,
];

/**
 * Runs a whole stage's nodes over one chunk (operator fusion, `execution.fuse`):
 * one invocation per chunk instead of one per node.
 */
export const FUSED_CHAIN: FunctionName = 'fused-chain';
export const DATA_PLANE_FUNCTION_NAMES: readonly FunctionName[] = [FUSED_CHAIN];

export type FunctionArnResolver = (name: FunctionName) => string;

/** The module whose nodes each run a user's function (functions/transforms/custom). */
export const CUSTOM_MODULE = 'custom';
const CUSTOM_PREFIX = `${CUSTOM_MODULE}-`;

/**
 * `functions/custom/title-case` -> `custom-title-case`: the Lambda the CDK app
 * bundles for one user function folder, named after the folder's last segment.
 */
export function customFunctionName(folder: string): FunctionName {
  const name = folder
    .split(/[\\/]/)
    .filter((segment) => segment !== '' && segment !== '.')
    .at(-1);
  if (name === undefined || name === '..') {
    throw new TranslationError([`custom function folder ${JSON.stringify(folder)} names no folder`]);
  }
  return `${CUSTOM_PREFIX}${name}`;
}

/**
 * The function that runs a node on its own: its module's, except a `custom`
 * node, which runs in the Lambda bundled with its user's function.
 */
export function nodeFunctionName(node: { readonly module: string; readonly config: unknown }): FunctionName {
  if (node.module !== CUSTOM_MODULE) return node.module;
  const folder =
    typeof node.config === 'object' && node.config !== null
      ? (node.config as { function?: unknown }).function
      : undefined;
  return typeof folder === 'string' ? customFunctionName(folder) : node.module;
}

const LOCAL_ARN_PREFIX = 'arn:aws:lambda:us-east-1:000000000000:function:etl-';

/**
 * The ARN a function has in the local runtime (account 000000000000, as
 * emulators use). Locally every `custom-<name>` is the in-process `custom`
 * handler, which imports the user's folder itself.
 */
export function localFunctionArn(name: FunctionName): string {
  return `${LOCAL_ARN_PREFIX}${name.startsWith(CUSTOM_PREFIX) ? CUSTOM_MODULE : name}`;
}

/** Inverse of `localFunctionArn` (`custom-<name>` comes back as `custom`); undefined for any ARN it did not make. */
export function functionNameFromLocalArn(arn: string): FunctionName | undefined {
  if (!arn.startsWith(LOCAL_ARN_PREFIX)) {
    return undefined;
  }
  const name = arn.slice(LOCAL_ARN_PREFIX.length);
  return name === '' ? undefined : name;
}

/**
 * Resolves against the ARNs a deployed stack exports. A missing function
 * throws at translation time, so a pipeline never deploys with a Task that
 * points nowhere.
 */
export function deployedArnResolver(arns: Readonly<Record<string, string>>): FunctionArnResolver {
  return (name) => {
    const arn = Object.hasOwn(arns, name) ? arns[name] : undefined;
    if (arn === undefined || arn === '') {
      const known = Object.keys(arns).sort().join(', ') || 'none';
      throw new TranslationError([`no deployed Lambda function for "${name}" (deployed: ${known})`]);
    }
    return arn;
  };
}
