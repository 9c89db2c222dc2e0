/**
 * The webhook loader's exactly-once effect. A POST cannot be rolled back, so
 * nothing is sent while chunks run: each chunk stages its rows, and Finalize
 * (reached only when every chunk succeeded) sends them, batch by batch in
 * chunk order, each with `Idempotency-Key: <runId>:<nodeId>:<chunk>:<batch>`.
 * After a batch is acknowledged a marker is written beside the staged rows, so
 * a retried Finalize skips what was delivered; a batch acknowledged but not
 * yet marked (a crash between the two) is re-sent with the same key, which
 * the receiver uses to drop the duplicate.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { listObjects, putJson } from '../../../shared/aws/s3-objects.ts';
import type { CommitResult, ConnectorIo, StagedLoad } from '../../../shared/modules/kernels.ts';
import { listStagedChunks, replayChunk } from '../staged-rows/replay.ts';
import { stageRows } from '../staged-rows/stage.ts';
import { openWebhook, type WebhookClientDeps } from './client.ts';
import type { WebhookConfig } from './config.ts';
import { inBatch } from './errors.ts';

const SENT_FOLDER = '_sent/';

function sentName(chunk: number, batch: number): string {
  return `chunk-${String(chunk).padStart(5, '0')}-batch-${String(batch).padStart(6, '0')}`;
}

export function stageWebhook(
  _config: WebhookConfig,
  io: ConnectorIo & { readonly connection: DuckDBConnection; readonly stagingPrefix: string },
): Promise<StagedLoad> {
  return stageRows(io);
}

export async function commitWebhook(
  config: WebhookConfig,
  io: ConnectorIo & { readonly stagingPrefix: string },
  deps: WebhookClientDeps = {},
): Promise<CommitResult> {
  const webhook = await openWebhook(config, deps);
  const sentPrefix = `${io.stagingPrefix}${SENT_FOLDER}`;
  const sent = new Set(
    (await listObjects(io.s3, io.stagingBucket, sentPrefix)).map((object) =>
      object.key.slice(sentPrefix.length),
    ),
  );
  let rows = 0;
  // Every batch of the run, delivered now or by an earlier attempt: a retried commit answers the same.
  let batches = 0;
  for (const chunk of await listStagedChunks(io.s3, io.stagingBucket, io.stagingPrefix)) {
    for await (const batch of replayChunk(io.s3, io.stagingBucket, chunk, config.batch_size)) {
      rows += batch.lines.length;
      batches++;
      const name = sentName(batch.chunk, batch.batch);
      if (sent.has(name)) continue;
      const key = `${io.run.runId}:${io.nodeId}:${batch.chunk}:${batch.batch}`;
      try {
        await webhook.post(`[${batch.lines.join(',')}]`, key);
      } catch (error) {
        const last = batch.firstRow + batch.lines.length;
        throw inBatch(
          error,
          `webhook batch ${batch.batch} of chunk ${batch.chunk} (rows ${batch.firstRow + 1}-${last})`,
        );
      }
      await putJson(io.s3, io.stagingBucket, `${sentPrefix}${name}`, { key, rows: batch.lines.length });
    }
  }
  return { files: batches, rows, destination: webhook.target };
}
