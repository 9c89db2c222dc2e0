/**
 * Preview of a node on a sample: the node and its ancestors (never a
 * loader, so nothing is committed anywhere) run through the same local
 * runtime as a run, each extractor reading only its first chunk, unfused so
 * the node's own output is staged; then its first rows are read back. The
 * sample run is recorded like any run while it goes, and forgotten after.
 */
import { ulid } from 'ulid';
import { ConfigError } from '../errors.ts';
import { handlerDeps } from '../lambda/deps.ts';
import type { LocalServices } from '../runtime/local-services.ts';
import { runPipelineLocally } from '../runtime/run-local.ts';
import { reachableFrom } from '../spec/graph.ts';
import { type Pipeline, type PipelineNode, PipelineSchema } from '../spec/schema.ts';
import { PreviewFailedError } from './errors.ts';
import { readStagedChunks } from './node-output.ts';
import type { PreviewResult } from './preview-result.ts';

export interface PreviewRequest {
  readonly organization: string;
  readonly pipeline: Pipeline;
  readonly nodeId: string;
  /** Rows to return (the API allows 1..1000). */
  readonly limit: number;
  readonly parameters?: Readonly<Record<string, string | number | boolean>>;
}

/** Small chunks keep the first one (all a preview reads of a file source) quick to extract. */
const PREVIEW_CHUNK_BYTES = 1024 * 1024;

/** What a loader would write is its input: preview that node instead. */
function previewedNode(pipeline: Pipeline, nodeId: string): PipelineNode {
  const node = pipeline.nodes.find((candidate) => candidate.id === nodeId);
  if (node === undefined) throw new ConfigError(`node ${nodeId} is not in pipeline ${pipeline.name}`);
  if (node.type !== 'loader') return node;
  const input = pipeline.edges.find((edge) => edge.target === nodeId)?.source;
  const upstream = pipeline.nodes.find((candidate) => candidate.id === input);
  if (upstream === undefined) throw new ConfigError(`loader ${nodeId} has no input to preview`);
  return upstream;
}

/** The node with its ancestors only: no loader, no schedule, trigger or notification. */
export function samplePipeline(pipeline: Pipeline, nodeId: string): Pipeline {
  const reversed = pipeline.edges.map(({ source, target }) => ({ source: target, target: source }));
  const keep = reachableFrom([nodeId], reversed);
  return PipelineSchema.parse({
    ...(pipeline.id === undefined ? {} : { id: pipeline.id }),
    name: pipeline.name,
    nodes: pipeline.nodes.filter((node) => keep.has(node.id)),
    edges: pipeline.edges.filter((edge) => keep.has(edge.source) && keep.has(edge.target)),
    parameters: pipeline.parameters,
    execution: {
      ...pipeline.execution,
      chunk_size_bytes: Math.min(pipeline.execution.chunk_size_bytes, PREVIEW_CHUNK_BYTES),
      fuse: false,
    },
  });
}

export async function previewNode(request: PreviewRequest, services: LocalServices): Promise<PreviewResult> {
  const { organization, pipeline, limit } = request;
  const node = previewedNode(pipeline, request.nodeId);
  const runId = ulid();
  const deps = handlerDeps(organization);
  try {
    const result = await runPipelineLocally(samplePipeline(pipeline, node.id), services, {
      runId,
      organization,
      trigger: 'api',
      parameters: request.parameters ?? {},
      sampleChunks: 1,
    });
    if (result.run.status !== 'success') {
      throw new PreviewFailedError(
        result.run.error ?? { name: result.run.status, message: `the sample run ended ${result.run.status}` },
      );
    }
    const rows = await readStagedChunks(deps.s3, deps.env.stagingBucket, `runs/${runId}/${node.id}/`, limit);
    // An extractor whose first chunk is empty stages nothing: an empty table, columns unknown.
    return rows ?? { columns: [], rows: [] };
  } finally {
    await deps.store.deleteRun(runId);
  }
}
