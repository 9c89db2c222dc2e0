/** `Init`: records the run and its nodes, and builds the run context every later state carries. */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { handlerDeps } from '../../shared/lambda/deps.ts';
import { InitEventSchema, type RunContext } from '../../shared/lambda/events.ts';
import { parseEvent } from '../../shared/lambda/parse-event.ts';
import { createObservability, withObservability } from '../../shared/lambda/powertools.ts';

const observability = createObservability('etl-control-init');

export const handler = withObservability(
  observability,
  async (rawEvent: unknown, _context: Context): Promise<{ run: RunContext }> => {
    const { pipeline, input } = parseEvent(InitEventSchema, rawEvent, 'control-init');
    const run: RunContext = {
      runId: input.runId,
      pipelineId: pipeline.id,
      pipelineName: pipeline.name,
      // Execution parameters override the pipeline's declared defaults.
      parameters: { ...pipeline.parameters, ...input.parameters },
      startedAt: new Date().toISOString(),
      organization: input.organization,
      ...(input.resumeFrom === undefined ? {} : { resumeFrom: input.resumeFrom }),
      ...(input.sampleChunks === undefined ? {} : { sampleChunks: input.sampleChunks }),
    };
    observability.logger.appendKeys({ runId: run.runId, pipelineId: run.pipelineId });
    await handlerDeps(run.organization).store.startRun(
      {
        runId: run.runId,
        pipelineId: run.pipelineId,
        pipelineName: run.pipelineName,
        ...(input.pipelineVersion === undefined ? {} : { pipelineVersion: input.pipelineVersion }),
        ...(input.rerunOf === undefined ? {} : { rerunOf: input.rerunOf }),
        status: 'running',
        trigger: input.trigger,
        parameters: run.parameters,
        startedAt: run.startedAt,
      },
      pipeline.nodes.map((node) => ({ nodeId: node.id, module: node.module })),
    );
    observability.metrics.addDimensions({ pipeline: run.pipelineId });
    observability.metrics.addMetric('RunsStarted', MetricUnit.Count, 1);
    observability.logger.info('run started', { trigger: input.trigger });
    return { run };
  },
);
