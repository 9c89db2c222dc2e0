/** `etl state list|reset`: the watermarks incremental extractors resume from. */
import { existsSync } from 'node:fs';
import type { Command, Option } from 'commander';
import { pipelineIdOf } from '../../../statemachines/pipeline-id.ts';
import { startLocalServices } from '../../runtime/local-services.ts';
import { watermarkStoreFromEnv } from '../../store/watermark-store.ts';
import { renderTable } from '../format.ts';
import { loadValidPipeline } from './validate.ts';

/** A pipeline id, or a pipeline file whose id is meant. */
async function pipelineIdFrom(pipeline: string): Promise<string> {
  if (pipeline.endsWith('.json') && existsSync(pipeline))
    return pipelineIdOf(await loadValidPipeline(pipeline));
  return pipeline;
}

export async function listStateCommand(pipeline: string, options: { dataDir: string }): Promise<void> {
  const pipelineId = await pipelineIdFrom(pipeline);
  const services = await startLocalServices(options.dataDir);
  try {
    const watermarks = await watermarkStoreFromEnv().list(pipelineId);
    if (watermarks.length === 0) {
      console.log(`no watermarks saved for pipeline ${pipelineId}`);
      return;
    }
    console.log(
      renderTable(
        ['node', 'column', 'watermark', 'run', 'saved'],
        watermarks.map((mark) => [mark.nodeId, mark.column, mark.value, mark.runId, mark.updatedAt]),
      ),
    );
  } finally {
    await services.stop();
  }
}

export async function resetStateCommand(
  pipeline: string,
  nodeId: string,
  options: { dataDir: string },
): Promise<void> {
  const pipelineId = await pipelineIdFrom(pipeline);
  const services = await startLocalServices(options.dataDir);
  try {
    const previous = await watermarkStoreFromEnv().reset(pipelineId, nodeId);
    console.log(
      previous === undefined
        ? `no watermark saved for ${pipelineId} ${nodeId}; its next run reads from the start anyway`
        : `watermark of ${pipelineId} ${nodeId} reset (was ${previous.column} = ${previous.value}); its next run reads from the start`,
    );
  } finally {
    await services.stop();
  }
}

/** Adds `etl state ...` to the program; `dataDir` makes the shared `--data-dir` option. */
export function registerStateCommands(program: Command, dataDir: () => Option): void {
  const state = program
    .command('state')
    .description('incremental extraction state (watermarks) per pipeline node');

  state
    .command('list <pipeline>')
    .description('show the saved watermarks of a pipeline (its id or its file)')
    .addOption(dataDir())
    .action((pipeline: string, options: { dataDir: string }) => listStateCommand(pipeline, options));

  state
    .command('reset <pipeline> <node>')
    .description("forget a node's watermark: its next run reads everything again")
    .addOption(dataDir())
    .action((pipeline: string, node: string, options: { dataDir: string }) =>
      resetStateCommand(pipeline, node, options),
    );
}
