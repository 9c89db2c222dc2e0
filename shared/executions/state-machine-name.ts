/** The name of a pipeline's state machine: unique per organization and pipeline, within Step Functions' 80 characters. */
import { createHash } from 'node:crypto';

const MAX_NAME_LENGTH = 80;

/** `prefix` is the stack's (`PipelineRuntime.stateMachineNamePrefix`): its execution role may run only those. */
export function stateMachineName(prefix: string, organization: string, pipelineId: string): string {
  const name = `${prefix}${organization}-${pipelineId}`;
  if (name.length <= MAX_NAME_LENGTH) return name;
  // Cut names stay distinct: the hash of the whole name decides.
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 12);
  return `${name.slice(0, MAX_NAME_LENGTH - hash.length - 1)}-${hash}`;
}
