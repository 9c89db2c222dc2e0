/**
 * The `fused-chain` Lambda: runs a whole stage's nodes over one chunk (see
 * fused-chain.ts). Errors keep their node's prefix and type, so the state
 * machine retries only transient ones, as for unfused Tasks.
 */
import type { Context } from 'aws-lambda';
import { FUSED_CHAIN } from '../../statemachines/function-names.ts';
import { withDuckDb } from '../duckdb/engine.ts';
import { ChainEventSchema, type ChainResult } from './chain-events.ts';
import { handlerDeps } from './deps.ts';
import { runFusedChain, type StepsResolver } from './fused-chain.ts';
import { parseEvent } from './parse-event.ts';
import { createObservability, type LambdaHandler, withObservability } from './powertools.ts';
import { withWorkDir } from './work-dir.ts';

export function createFusedChainHandler(resolveSteps: StepsResolver): LambdaHandler<unknown, ChainResult> {
  const observability = createObservability(`etl-${FUSED_CHAIN}`);

  return withObservability(observability, async (rawEvent: unknown, _context: Context) => {
    const event = parseEvent(ChainEventSchema, rawEvent, FUSED_CHAIN);
    const { run, chunk } = event;
    const deps = handlerDeps(run.organization);
    return withWorkDir((workDir) =>
      withDuckDb({ workDir }, (connection) =>
        runFusedChain(
          { deps, observability, connection, run, workDir, index: chunk.index, resolveSteps },
          event,
        ),
      ),
    );
  });
}
