/** Preview: a node of a pipeline (saved or not) run on a sample, its first rows as JSON or Arrow IPC. */
import { z } from '@hono/zod-openapi';
import { ConfigError } from '../../../shared/errors.ts';
import { toArrowIpc } from '../../../shared/executions/arrow-ipc.ts';
import { PreviewFailedError } from '../../../shared/executions/errors.ts';
import type { PreviewRequest } from '../../../shared/executions/preview.ts';
import type { PreviewResult } from '../../../shared/executions/preview-result.ts';
import { type ApiApp, jsonBody } from '../app-types.ts';
import { principalOf } from '../context.ts';
import type { ApiDeps } from '../deps.ts';
import { checkPipeline } from '../pipeline-check.ts';
import { ApiProblem, problemResponses } from '../problem.ts';
import { secureRoute } from '../route.ts';
import { parameterErrors } from '../run-parameters.ts';
import { IdentifierSchema, ParameterValuesSchema, PipelineDocumentSchema } from '../schemas.ts';
import { invalidPipeline } from '../validation.ts';

export const ARROW_STREAM = 'application/vnd.apache.arrow.stream';

const PreviewBodySchema = z
  .strictObject({
    pipeline: PipelineDocumentSchema,
    nodeId: IdentifierSchema,
    limit: z.int().min(1).max(1000).default(100),
    parameters: ParameterValuesSchema.optional(),
  })
  .openapi('PreviewRequest');

const PreviewTableSchema = z
  .object({
    columns: z.array(z.object({ name: z.string(), type: z.string() })),
    rows: z.array(z.record(z.string(), z.unknown())),
  })
  .openapi('PreviewTable');

export function registerPreviewRoutes(
  app: ApiApp,
  deps: ApiDeps,
  preview: (request: PreviewRequest) => Promise<PreviewResult>,
): void {
  app.openapi(
    secureRoute(deps, {
      method: 'post',
      path: '/preview',
      summary: 'Run a node on a sample and return its first rows',
      description: `\`Accept: ${ARROW_STREAM}\` answers an Arrow IPC stream; anything else JSON.`,
      tags: ['pipelines'],
      request: { body: jsonBody(PreviewBodySchema) },
      responses: {
        200: {
          description: 'The sample table',
          content: {
            'application/json': { schema: PreviewTableSchema },
            [ARROW_STREAM]: { schema: z.string().openapi({ format: 'binary' }) },
          },
        },
        ...problemResponses(422),
      },
    }),
    async (c) => {
      const principal = principalOf(c);
      const body = c.req.valid('json');
      const check = await checkPipeline(deps, (await c.req.json()).pipeline);
      if (!check.ok) throw invalidPipeline(check.errors, '/pipeline');
      if (!check.pipeline.nodes.some((node) => node.id === body.nodeId)) {
        throw new ApiProblem(422, 'validation', `node ${body.nodeId} is not in the pipeline`, [
          { pointer: '/nodeId', message: `node ${body.nodeId} is not in the pipeline`, code: 'unknown_node' },
        ]);
      }
      const errors = parameterErrors(check.pipeline, body.parameters ?? {});
      if (errors.length > 0) throw new ApiProblem(422, 'validation', 'the parameters are not valid', errors);
      let result: PreviewResult;
      try {
        result = await preview({
          organization: principal.org,
          pipeline: check.pipeline,
          nodeId: body.nodeId,
          limit: body.limit,
          ...(body.parameters ? { parameters: body.parameters } : {}),
        });
      } catch (error) {
        if (error instanceof PreviewFailedError || error instanceof ConfigError) {
          throw new ApiProblem(422, 'validation', error.message);
        }
        throw error;
      }
      if ((c.req.header('accept') ?? '').includes(ARROW_STREAM)) {
        return c.body(toArrowIpc(result) as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': ARROW_STREAM });
      }
      return c.json({ columns: [...result.columns], rows: result.rows.map((row) => ({ ...row })) }, 200);
    },
  );
}
