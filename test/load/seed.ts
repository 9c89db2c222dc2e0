/** What the load script stores before the load: pipelines, and finished runs of one of them. */
import { ulid } from 'ulid';
import { createDynamoDbClient } from '../../shared/aws/clients.ts';
import { uploadFile } from '../../shared/aws/s3-objects.ts';
import { ensureBucket } from '../../shared/runtime/local-services.ts';
import type { RunningServe } from '../../shared/serve/serve.ts';
import { PipelineSchema } from '../../shared/spec/schema.ts';
import { PipelineStore } from '../../shared/store/pipeline-store.ts';
import { RunStore } from '../../shared/store/run-store.ts';

/** Stores `count` copies of the example as pipeline-0000, pipeline-0001, ... (50 at a time). */
export async function seedPipelines(
  server: RunningServe,
  organization: string,
  example: Readonly<Record<string, unknown>>,
  count: number,
): Promise<string[]> {
  const client = createDynamoDbClient(server.services.env);
  try {
    const store = new PipelineStore(client, server.services.env.metadataTable, organization);
    const ids = Array.from({ length: count }, (_, index) => `pipeline-${String(index).padStart(4, '0')}`);
    for (let start = 0; start < count; start += 50) {
      await Promise.all(
        ids
          .slice(start, start + 50)
          .map((id) =>
            store.create(
              id,
              PipelineSchema.parse({ ...example, id, name: `${String(example.name)} ${id}` }),
              'load',
            ),
          ),
      );
    }
    return ids;
  } finally {
    client.destroy();
  }
}

/** Runs the stored pipeline `count` times to the end, so GET /runs/{id} reads real runs with their nodes. */
export async function seedRuns(
  server: RunningServe,
  organization: string,
  input: string,
  pipelineId: string,
  count: number,
): Promise<string[]> {
  const { env, s3 } = server.services;
  await ensureBucket(s3, 'examples');
  await uploadFile(s3, input, 'examples', 'birdstrikes/birdstrikes.csv');
  const client = createDynamoDbClient(env);
  try {
    const latest = await new PipelineStore(client, env.metadataTable, organization).getLatest(pipelineId);
    if (latest === undefined) throw new Error(`pipeline ${pipelineId} was not stored`);
    const runs = new RunStore(client, env.metadataTable, organization);
    const runIds: string[] = [];
    for (let index = 0; index < count; index += 1) {
      const runId = ulid();
      await server.executions.start({
        organization,
        pipeline: latest.pipeline,
        pipelineVersion: latest.version,
        runId,
        parameters: {},
        trigger: 'api',
      });
      await server.executions.drain();
      const run = await runs.getRun(runId);
      if (run?.status !== 'success') throw new Error(`seeded run ${runId} ended ${run?.status}`);
      runIds.push(runId);
    }
    return runIds;
  } finally {
    client.destroy();
  }
}
