/**
 * Incremental S3 sources: the plan keeps only objects after the saved
 * watermark and records, as pending, the watermark this run reaches;
 * Finalize saves it only if the run succeeds (shared/store/watermark-store.ts),
 * so a failed run reads the same objects again next time.
 */
import type { S3ObjectSummary } from '../../../shared/aws/s3-objects.ts';
import { ConfigError } from '../../../shared/errors.ts';
import type { ConnectorIo } from '../../../shared/modules/kernels.ts';
import { type WatermarkStore, watermarkStoreFromEnv } from '../../../shared/store/watermark-store.ts';
import type { S3IncrementalConfig } from './config.ts';
import { advanceMark, newObjects, parseMark, S3_WATERMARK_COLUMN, S3_WATERMARK_TYPE } from './watermark.ts';

export async function selectIncrementalObjects(
  config: S3IncrementalConfig,
  io: ConnectorIo,
  objects: readonly S3ObjectSummary[],
  watermarks: WatermarkStore = watermarkStoreFromEnv(),
): Promise<S3ObjectSummary[]> {
  if (config.mode !== 'incremental') return [...objects];
  const saved = await watermarks.get(io.run.pipelineId, io.nodeId);
  if (saved !== undefined && saved.column !== S3_WATERMARK_COLUMN) {
    throw new ConfigError(
      `the saved watermark of node ${io.nodeId} is for column ${saved.column}, not S3 last-modified times: reset it with \`etl state reset ${io.run.pipelineId} ${io.nodeId}\``,
    );
  }
  const previous = saved === undefined ? undefined : parseMark(saved.value, `node ${io.nodeId}`);
  const selected = newObjects(objects, previous);
  if (selected.length > 0) {
    await watermarks.stage({
      pipelineId: io.run.pipelineId,
      nodeId: io.nodeId,
      column: S3_WATERMARK_COLUMN,
      type: S3_WATERMARK_TYPE,
      value: JSON.stringify(advanceMark(selected, previous)),
      runId: io.run.runId,
      updatedAt: new Date().toISOString(),
    });
  }
  return selected;
}
