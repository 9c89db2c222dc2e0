/** Types of the ASL interpreter that its package uses but does not export. */
import type { StateMachine } from 'aws-local-stepfunctions';

type Execution = ReturnType<StateMachine['run']>;

/** One event of an execution's log (state entered/exited/failed/retried, map iterations, ...). */
export type EventLog = Execution['eventLogs'] extends AsyncGenerator<infer Event> ? Event : never;

type RunOptions = NonNullable<Parameters<StateMachine['run']>[1]>;

/** The interpreter's override map: Task state name -> local function. */
export type TaskResourceLocalHandlers = NonNullable<
  NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']
>;
