/**
 * Names of pipeline state machines. Machines deployed from git by the CDK
 * app and machines the API creates share the stack's prefix (IAM grants,
 * alarms and notification rules match on it) and are told apart right after
 * it, so neither source can ever take, or update, the other's machine:
 *
 * | source | name                                                      |
 * |--------|-----------------------------------------------------------|
 * | git    | `<prefix>git-<pipelineId>`                                |
 * | API    | `<prefix>api-<organization>_<pipelineId>`, each `_` of the organization doubled |
 *
 * Organizations and pipeline ids may both hold `_` and `-`, so a plain
 * separator would let `a-b`+`c` and `a`+`b-c` meet; doubling the
 * organization's `_` makes the first single `_` the boundary (a pipeline id
 * starts with a letter). A name past 79 characters is cut to exactly 80,
 * ending in a hash of the whole name: the length alone tells a cut name
 * from a whole one, so no pipeline id can be crafted to equal another's cut name.
 */
import { createHash } from 'node:crypto';
import { ConfigError } from '../errors.ts';

/** Step Functions' limit on a state machine name. */
export const MAX_STATE_MACHINE_NAME_LENGTH = 80;

/** Hex digits of SHA-256 ending a cut name: 64 bits, past any accidental meeting. */
const HASH_LENGTH = 16;
/** What a cut name keeps of the whole one, before `-<hash>`. */
const KEPT_LENGTH = MAX_STATE_MACHINE_NAME_LENGTH - HASH_LENGTH - 1;
/** Characters CloudWatch logging accepts in a state machine name (Step Functions allows more). */
const NAME_CHARACTERS = /^[A-Za-z0-9_-]*$/;
/** The boundary rule needs ids that start with a letter (shared/spec/schema.ts's identifier). */
const PIPELINE_ID = /^[A-Za-z][A-Za-z0-9_-]*$/;
const ORGANIZATION = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

export const GIT_MARKER = 'git-';
export const API_MARKER = 'api-';

/**
 * The prefix and the source marker must survive any cut, or a cut git name
 * and a cut API name could share their visible part.
 */
export function checkStateMachineNamePrefix(prefix: string): void {
  if (!NAME_CHARACTERS.test(prefix)) {
    throw new ConfigError(`state machine name prefix "${prefix}" may hold only letters, digits, "_" and "-"`);
  }
  const longest = KEPT_LENGTH - Math.max(GIT_MARKER.length, API_MARKER.length) - 1;
  if (prefix.length > longest) {
    throw new ConfigError(
      `state machine name prefix "${prefix}" is ${prefix.length} characters; at most ${longest} leave room for the pipeline's name (use a shorter stack name)`,
    );
  }
}

function checkPart(what: string, value: string, pattern: RegExp): void {
  if (!pattern.test(value)) {
    throw new ConfigError(
      `${what} "${value}" cannot be part of a state machine name: letters, digits, "_" and "-" only, starting with a letter${what === 'organization' ? ' or digit' : ''}`,
    );
  }
}

function fitted(name: string): string {
  if (name.length < MAX_STATE_MACHINE_NAME_LENGTH) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, HASH_LENGTH);
  return `${name.slice(0, KEPT_LENGTH)}-${hash}`;
}

/** A pipeline kept in git, deployed by the CDK app for the stack's one organization. */
export function gitStateMachineName(prefix: string, pipelineId: string): string {
  checkStateMachineNamePrefix(prefix);
  checkPart('pipeline id', pipelineId, PIPELINE_ID);
  return fitted(`${prefix}${GIT_MARKER}${pipelineId}`);
}

/** A pipeline created through the API (`prefix` is `PipelineRuntime.stateMachineNamePrefix`). */
export function apiStateMachineName(prefix: string, organization: string, pipelineId: string): string {
  checkStateMachineNamePrefix(prefix);
  checkPart('organization', organization, ORGANIZATION);
  checkPart('pipeline id', pipelineId, PIPELINE_ID);
  return fitted(`${prefix}${API_MARKER}${organization.replaceAll('_', '__')}_${pipelineId}`);
}
