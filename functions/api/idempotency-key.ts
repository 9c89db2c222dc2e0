/**
 * `Idempotency-Key` on `POST /pipelines/{id}/runs` (the IETF httpapi
 * idempotency-key header): a client that retries a start after a timeout or
 * a dropped connection gets the run the first request started, not a second
 * run. Without the header every request starts a run, as before.
 *
 * The guard is Powertools Idempotency on the metadata table (`runOnce`),
 * keyed by the organization, the pipeline and the client's key, for the 14
 * days the records are kept. The stored result carries a digest of the run
 * parameters, so reusing a key for different parameters is refused instead
 * of silently answering with a run of other parameters.
 */
import { createHash } from 'node:crypto';
import { EffectInProgressError } from '../../shared/idempotency/errors.ts';
import { runOnce } from '../../shared/idempotency/run-once.ts';
import type { ApiDeps } from './deps.ts';
import { ApiProblem } from './problem.ts';

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
const MAX_KEY_LENGTH = 255;
/** Visible ASCII only: a key is an opaque token the client chose, printed in errors as given. */
const KEY_PATTERN = /^[\x21-\x7e]+$/;

/** The header's value, checked; `undefined` when the request has none. */
export function parseIdempotencyKey(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value.length === 0 || value.length > MAX_KEY_LENGTH || !KEY_PATTERN.test(value)) {
    throw new ApiProblem(
      400,
      'validation',
      `the ${IDEMPOTENCY_KEY_HEADER} header must be 1 to ${MAX_KEY_LENGTH} visible ASCII characters (a UUID or ULID is a good choice)`,
    );
  }
  return value;
}

/** JSON with object keys sorted at every level, so `{a,b}` and `{b,a}` digest alike. */
function sortedJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${sortedJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function parametersDigest(parameters: Readonly<Record<string, unknown>>): string {
  return createHash('sha256').update(sortedJson(parameters)).digest('hex');
}

interface StartedRun {
  readonly runId: string;
  readonly parameters: string;
}

export interface KeyedStart {
  readonly organization: string;
  readonly pipelineId: string;
  readonly key: string;
  readonly parameters: Readonly<Record<string, unknown>>;
}

/**
 * Runs `start` once per key: the first request starts the run, a repeat gets
 * its run id, a repeat while the first is still starting gets 409.
 */
export async function startRunOnce(
  deps: Pick<ApiDeps, 'idempotency'>,
  request: KeyedStart,
  start: () => Promise<string>,
): Promise<string> {
  const digest = parametersDigest(request.parameters);
  let started: StartedRun;
  try {
    started = await runOnce(
      {
        effect: 'start-run',
        organization: request.organization,
        key: `${request.pipelineId}#${request.key}`,
        env: deps.idempotency,
      },
      async (): Promise<StartedRun> => ({ runId: await start(), parameters: digest }),
    );
  } catch (error) {
    if (error instanceof EffectInProgressError) {
      throw new ApiProblem(
        409,
        'conflict',
        `a request with ${IDEMPOTENCY_KEY_HEADER} ${request.key} is still starting its run; retry it shortly to get the run id`,
      );
    }
    throw error;
  }
  if (started.parameters !== digest) {
    throw new ApiProblem(
      422,
      'validation',
      `${IDEMPOTENCY_KEY_HEADER} ${request.key} already started run ${started.runId} with other parameters; use a new key for a new run`,
    );
  }
  return started.runId;
}
