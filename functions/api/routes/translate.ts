/** Pipeline JSON -> Step Functions ASL, or a 422 with every problem (the checks of POST /validate). */
import { type ApiApp, jsonBody, jsonContent } from '../app-types.ts';
import type { ApiContext } from '../context.ts';
import type { ApiDeps } from '../deps.ts';
import { translateOrReject } from '../pipeline-check.ts';
import { problemResponses } from '../problem.ts';
import { secureRoute } from '../route.ts';
import { PipelineDocumentSchema, TranslateResponseSchema } from '../schemas.ts';

export function registerTranslateRoutes(app: ApiApp, deps: ApiDeps): void {
  const translate = async (c: ApiContext) => {
    const asl = await translateOrReject(deps, await c.req.json());
    return c.json({ asl: asl as unknown as Record<string, unknown> }, 200);
  };
  app.openapi(
    secureRoute(deps, {
      method: 'post',
      path: '/translate',
      summary: 'Translate a pipeline to its Step Functions definition (ASL)',
      tags: ['pipelines'],
      request: { body: jsonBody(PipelineDocumentSchema) },
      responses: {
        200: jsonContent(TranslateResponseSchema, 'The ASL of the pipeline'),
        ...problemResponses(422),
      },
    }),
    translate,
    // A document the schema refuses is answered like any invalid pipeline: 422 with every problem.
    (result, c) => (result.success ? undefined : translate(c)),
  );
}
