/**
 * Per-stage wall time of a run, from its event log: how long each top-level
 * state (Init, Plan x, Process x, Commit x, Finalize) took, in running order.
 */
import { readFile } from 'node:fs/promises';
import type { StateMachineDefinition } from '../../statemachines/asl-types.ts';

interface LoggedEvent {
  readonly type: string;
  readonly timestamp: number;
  readonly state?: { readonly name: string };
}

export async function phaseDurations(
  definition: StateMachineDefinition,
  eventLogPath: string,
): Promise<Record<string, number>> {
  const topLevel = new Set(Object.keys(definition.States));
  const entered = new Map<string, number>();
  const phases: Record<string, number> = {};
  for (const line of (await readFile(eventLogPath, 'utf8')).split('\n')) {
    if (line === '') continue;
    const event = JSON.parse(line) as LoggedEvent;
    const name = event.state?.name;
    if (name === undefined || !topLevel.has(name)) continue;
    if (event.type === 'StateEntered') entered.set(name, event.timestamp);
    if (event.type === 'StateExited') phases[name] = event.timestamp - (entered.get(name) ?? event.timestamp);
  }
  return phases;
}
