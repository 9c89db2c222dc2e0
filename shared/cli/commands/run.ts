/** `etl run <file>`: runs a pipeline on the local runtime, with live progress and a summary. */
import { planStages } from '../../../statemachines/planner.ts';
import { startLocalServices } from '../../runtime/local-services.ts';
import { runPipelineLocally } from '../../runtime/run-local.ts';
import type { Pipeline } from '../../spec/schema.ts';
import { ProgressView } from '../progress.ts';
import { parseParameters } from './parameters.ts';
import { runSummary } from './summary.ts';
import { loadValidPipeline } from './validate.ts';

export interface RunCommandOptions {
  readonly dataDir: string;
  readonly param: readonly string[];
}

function stageOfNodes(pipeline: Pipeline): Map<string, string> {
  const stageOf = new Map<string, string>();
  for (const stage of planStages(pipeline)) {
    const visit = (chain: {
      node: { id: string };
      children: readonly { node: { id: string }; children: readonly unknown[] }[];
    }) => {
      stageOf.set(chain.node.id, stage.sourceId);
      for (const child of chain.children) visit(child as typeof chain);
    };
    visit(stage.root);
  }
  return stageOf;
}

/** Returns the process exit code: 0 when the run succeeded. */
export async function runCommand(path: string, options: RunCommandOptions): Promise<number> {
  const pipeline = await loadValidPipeline(path);
  const parameters = parseParameters(pipeline, options.param);
  const services = await startLocalServices(options.dataDir);
  try {
    console.log(`running ${pipeline.name} (${path}) locally; data dir ${services.dataDir}`);
    const progress = new ProgressView(pipeline, stageOfNodes(pipeline));
    const result = await runPipelineLocally(pipeline, services, {
      parameters,
      onEvent: (event) => progress.onEvent(event),
    });
    console.log(
      `\n${runSummary(
        result.run,
        result.nodes,
        pipeline.nodes.map((node) => node.id),
      )}`,
    );
    console.log(`\nevent log: ${result.eventLogPath}`);
    return result.run.status === 'success' ? 0 : 1;
  } finally {
    await services.stop();
  }
}
