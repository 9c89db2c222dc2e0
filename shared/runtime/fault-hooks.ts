/**
 * The one seam the fault-injection suite (test/fault/) needs in the local
 * runtime: every Lambda Task invocation passes through the interceptor
 * installed here, which may delay it, fail it or let it through. Nothing is
 * installed outside that suite, so a run pays one undefined check per Task.
 */
import type { Json } from './lambda-invoke-adapter.ts';

export type TaskInvocation = (parameters: Json) => Promise<Json>;

export interface InterceptedTask {
  /** The ASL state name (`Chain strikes`, `Commit lake`, ...). */
  readonly stateName: string;
  /** The Lambda function behind it (`fused-chain`, `s3-parquet`, `control-finalize`, ...). */
  readonly functionName: string;
  readonly parameters: Json;
  /** Runs the real handler. */
  readonly invoke: TaskInvocation;
}

export type TaskInterceptor = (task: InterceptedTask) => Promise<Json>;

let installed: TaskInterceptor | undefined;

/** Installs `interceptor` for every Task of every local run from now on; returns the uninstall. */
export function installTaskInterceptor(interceptor: TaskInterceptor): () => void {
  if (installed !== undefined) throw new Error('a task interceptor is already installed');
  installed = interceptor;
  return () => {
    if (installed === interceptor) installed = undefined;
  };
}

/** Routes a Task's invocation through the installed interceptor, if any (read per call, not per run). */
export function interceptTask(
  stateName: string,
  functionName: string,
  invoke: TaskInvocation,
): TaskInvocation {
  return (parameters) => {
    const interceptor = installed;
    return interceptor === undefined
      ? invoke(parameters)
      : interceptor({ stateName, functionName, parameters, invoke });
  };
}
