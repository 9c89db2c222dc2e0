/** Acting on a run: cancel, redrive from the failed point, rerun only its failed chunks. */
import { ulid } from 'ulid';
import { type ApiApp, jsonContent } from '../app-types.ts';
import { audit } from '../audit.ts';
import { orgStores, principalOf } from '../context.ts';
import type { ApiDeps } from '../deps.ts';
import { conflict, notFound, problemResponses } from '../problem.ts';
import { secureRoute } from '../route.ts';
import { RunIdResponseSchema, RunSummarySchema } from '../schemas.ts';
import { runSummary } from './run-views.ts';
import { RunIdParams } from './runs.ts';

export function registerRunActionRoutes(app: ApiApp, deps: ApiDeps): void {
  for (const action of ['cancel', 'redrive'] as const) {
    app.openapi(
      secureRoute(deps, {
        method: 'post',
        path: `/runs/{runId}/${action}`,
        summary:
          action === 'cancel'
            ? 'Stop a pending or running run; it ends cancelled'
            : 'Resume a failed, timed-out or cancelled run from the states that failed',
        tags: ['runs'],
        request: { params: RunIdParams },
        responses: {
          202: jsonContent(RunSummarySchema, 'Accepted: the run now'),
          ...problemResponses(404, 409),
        },
      }),
      async (c) => {
        const principal = principalOf(c);
        const { runId } = c.req.valid('param');
        const { runs } = orgStores(deps, principal);
        if ((await runs.getRun(runId)) === undefined) throw notFound(`run ${runId}`);
        await deps.executions[action](principal.org, runId);
        await audit(deps, principal, `run.${action}`, `run/${runId}`);
        const run = await runs.getRun(runId);
        if (run === undefined) throw notFound(`run ${runId}`);
        return c.json(runSummary(run), 202);
      },
    );
  }

  app.openapi(
    secureRoute(deps, {
      method: 'post',
      path: '/runs/{runId}/rerun-failed-chunks',
      summary: "A new run of the pipeline's latest version over only the chunks that failed",
      description:
        'Works after a fix saved as a new version, and past the 14-day redrive window of Step Functions.',
      tags: ['runs'],
      request: { params: RunIdParams },
      responses: { 202: jsonContent(RunIdResponseSchema, 'The new run'), ...problemResponses(404, 409) },
    }),
    async (c) => {
      const principal = principalOf(c);
      const { runId: failedRunId } = c.req.valid('param');
      const { runs, pipelines } = orgStores(deps, principal);
      const failed = await runs.getRun(failedRunId);
      if (failed === undefined) throw notFound(`run ${failedRunId}`);
      const latest = await pipelines.getLatest(failed.pipelineId);
      if (latest === undefined) {
        throw conflict(
          `pipeline ${failed.pipelineId} of run ${failedRunId} no longer exists: there is nothing to rerun`,
        );
      }
      const runId = ulid();
      await deps.executions.rerunFailedChunks({
        organization: principal.org,
        failedRunId,
        pipeline: latest.pipeline,
        pipelineVersion: latest.version,
        runId,
      });
      await pipelines.noteRun(failed.pipelineId, runId);
      await audit(deps, principal, 'run.rerun-failed-chunks', `run/${runId}`);
      return c.json({ runId }, 202);
    },
  );
}
