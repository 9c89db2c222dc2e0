/** `etl runs` and `etl show <runId>`: what the local metadata store recorded. */
import { handlerDeps } from '../../lambda/deps.ts';
import { startLocalServices } from '../../runtime/local-services.ts';
import { formatDuration, renderTable } from '../format.ts';
import { readQuality, renderQuality } from './quality.ts';
import { runSummary } from './summary.ts';

export async function runsCommand(options: { dataDir: string; limit: number }): Promise<void> {
  const services = await startLocalServices(options.dataDir);
  try {
    const runs = await handlerDeps().store.listRuns(options.limit);
    if (runs.length === 0) {
      console.log(`no runs recorded in ${services.dataDir}`);
      return;
    }
    console.log(
      renderTable(
        ['run', 'pipeline', 'status', 'trigger', 'started', 'time>'],
        runs.map((run) => [
          run.runId,
          run.pipelineName,
          run.status,
          run.trigger,
          run.startedAt,
          run.finishedAt ? formatDuration(Date.parse(run.finishedAt) - Date.parse(run.startedAt)) : '-',
        ]),
      ),
    );
  } finally {
    await services.stop();
  }
}

/** Returns the exit code: 1 when the run is unknown. */
export async function showCommand(runId: string, options: { dataDir: string }): Promise<number> {
  const services = await startLocalServices(options.dataDir);
  try {
    const { store } = handlerDeps();
    const run = await store.getRun(runId);
    if (run === undefined) {
      console.error(`etl: no run ${runId} in ${services.dataDir} (see etl runs)`);
      return 1;
    }
    const nodes = await store.getNodeRuns(runId);
    console.log(
      runSummary(
        run,
        nodes,
        nodes.map((node) => node.nodeId),
      ),
    );
    if (Object.keys(run.parameters).length > 0)
      console.log(`\nparameters: ${JSON.stringify(run.parameters)}`);
    const nodeIds = nodes.map((node) => node.nodeId);
    const quality = await readQuality(services.s3, services.env.stagingBucket, runId, nodeIds);
    if (quality.size > 0) console.log(`\ndata quality\n\n${renderQuality(quality)}`);
    return 0;
  } finally {
    await services.stop();
  }
}
