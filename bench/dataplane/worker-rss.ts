/**
 * Peak RSS of a chunk worker, measured honestly: after a run, each sampled
 * chunk task (`Chain <stage>`) is replayed in a child process of its own
 * (chunk-worker.ts) against the same emulators, and the child reports its
 * own maxRSS. Replays are idempotent: chunk outputs have deterministic keys.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { JsonObject, StateMachineDefinition } from '../../statemachines/asl-types.ts';
import { listTaskStates } from '../../statemachines/task-states.ts';

const WORKER = fileURLToPath(new URL('./chunk-worker.ts', import.meta.url));
const TSX = fileURLToPath(new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url));

export interface StageRss {
  readonly chunksMeasured: number;
  /** Largest peak RSS of one worker over the measured chunks. */
  readonly maxRssMb: number;
  /** The same worker with its code loaded, before any data. */
  readonly baselineRssMb: number;
  readonly slowestChunkMs: number;
}

interface WorkerReport {
  readonly maxRssMb: number;
  readonly baselineRssMb: number;
  readonly ms: number;
}

interface LoggedEvent {
  readonly type: string;
  readonly state?: { readonly name: string; readonly input?: Record<string, unknown> };
}

/** The Task's Payload for one state input: the template's `key.$: "$.field"` entries read from the input. */
function payloadFor(template: JsonObject, input: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(template).map(([key, value]) =>
      key.endsWith('.$') && typeof value === 'string' && value.startsWith('$.')
        ? [key.slice(0, -2), input[value.slice(2)]]
        : [key, value],
    ),
  );
}

/**
 * A replay runs the handler bare, without the state machine's Retry: a
 * transient failure (an emulator's socket hang-up on a loaded machine) is
 * retried here as the Retry would. Replays are idempotent (deterministic keys).
 */
const REPLAY_ATTEMPTS = 3;

async function runWorker(event: Record<string, unknown>): Promise<WorkerReport> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await runWorkerOnce(event);
    } catch (error) {
      if (attempt >= REPLAY_ATTEMPTS) throw error;
    }
  }
}

async function runWorkerOnce(event: Record<string, unknown>): Promise<WorkerReport> {
  const child = spawn(process.execPath, ['--openssl-legacy-provider', '--import', TSX, WORKER], {
    env: process.env,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  child.stdin.end(JSON.stringify(event));
  let output = '';
  for await (const piece of child.stdout) output += String(piece);
  const code = await new Promise<number | null>((done) => child.on('close', done));
  if (code !== 0) throw new Error(`chunk worker exited with ${code}: ${output}`);
  return JSON.parse(output) as WorkerReport;
}

/** Replays up to `perStage` chunk tasks of each fused stage, one child process each. */
export async function measureWorkerRss(
  definition: StateMachineDefinition,
  eventLogPath: string,
  perStage: number,
): Promise<Record<string, StageRss>> {
  const templates = new Map(
    listTaskStates(definition)
      .filter(({ name }) => name.startsWith('Chain '))
      .map(({ name, state }) => [name, state.Parameters.Payload]),
  );
  const entered = (await readFile(eventLogPath, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as LoggedEvent)
    .filter((event) => event.type === 'StateEntered' && templates.has(event.state?.name ?? ''));
  const stages: Record<string, StageRss> = {};
  for (const [name, template] of templates) {
    const inputs = entered.filter((event) => event.state?.name === name).slice(0, perStage);
    // A stage's Distributed Map copy (`[d]`) only runs past the inline chunk limit.
    if (inputs.length === 0) continue;
    const reports: WorkerReport[] = [];
    for (const event of inputs) reports.push(await runWorker(payloadFor(template, event.state?.input ?? {})));
    stages[name.slice('Chain '.length)] = {
      chunksMeasured: reports.length,
      maxRssMb: Math.max(...reports.map((report) => report.maxRssMb)),
      baselineRssMb: Math.max(...reports.map((report) => report.baselineRssMb)),
      slowestChunkMs: Math.max(...reports.map((report) => report.ms)),
    };
  }
  return stages;
}
