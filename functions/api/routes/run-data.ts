/** What a run left behind: rejected rows, data-quality totals, column lineage. */
import { z } from '@hono/zod-openapi';
import { LineageStore } from '../../../shared/lineage/lineage-store.ts';
import { LINEAGE_KINDS } from '../../../shared/lineage/types.ts';
import { readQuality } from '../../../shared/quality/run-quality.ts';
import type { RunStore } from '../../../shared/store/run-store.ts';
import { type ApiApp, jsonContent } from '../app-types.ts';
import { orgStores, principalOf } from '../context.ts';
import type { ApiDeps } from '../deps.ts';
import { notFound, problemResponses } from '../problem.ts';
import { readRejects } from '../rejects.ts';
import { secureRoute } from '../route.ts';
import { IdentifierSchema, QualityReportSchema, RejectSchema } from '../schemas.ts';
import { RunIdParams } from './runs.ts';

const RejectsQuery = z.object({
  nodeId: IdentifierSchema.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(50).openapi({ description: '1..1000, default 50' }),
});

const LineageSchema = z
  .object({
    nodes: z.array(
      z.object({
        nodeId: z.string(),
        module: z.string(),
        inputs: z.array(z.string()),
        columns: z.array(
          z.object({
            output: z.string(),
            inputs: z.array(z.object({ input: z.int(), column: z.string() })),
            kind: z.enum(LINEAGE_KINDS),
          }),
        ),
      }),
    ),
  })
  .openapi('RunLineage');

/** The run's node ids, or 404 when the organization has no such run. */
async function runNodeIds(runs: RunStore, runId: string): Promise<string[]> {
  const run = await runs.getRun(runId);
  if (run === undefined) throw notFound(`run ${runId}`);
  return (await runs.getNodeRuns(runId)).map((node) => node.nodeId);
}

export function registerRunDataRoutes(app: ApiApp, deps: ApiDeps): void {
  app.openapi(
    secureRoute(deps, {
      method: 'get',
      path: '/runs/{runId}/rejects',
      summary: "A sample of the run's rejected rows, with where they came from and why",
      tags: ['runs'],
      request: { params: RunIdParams, query: RejectsQuery },
      responses: {
        200: jsonContent(z.object({ items: z.array(RejectSchema) }).openapi('RejectList'), 'Rejected rows'),
        ...problemResponses(404),
      },
    }),
    async (c) => {
      const { runId } = c.req.valid('param');
      const { nodeId, limit } = c.req.valid('query');
      const nodeIds = await runNodeIds(orgStores(deps, principalOf(c)).runs, runId);
      if (nodeId !== undefined && !nodeIds.includes(nodeId)) throw notFound(`node ${nodeId} of run ${runId}`);
      const items = await readRejects(
        deps.s3,
        deps.stagingBucket,
        deps.workDir,
        runId,
        nodeId === undefined ? nodeIds : [nodeId],
        limit,
      );
      return c.json({ items }, 200);
    },
  );

  app.openapi(
    secureRoute(deps, {
      method: 'get',
      path: '/runs/{runId}/quality',
      summary: "The run's data-quality report: each validate node's rules summed over its chunks",
      tags: ['runs'],
      request: { params: RunIdParams },
      responses: { 200: jsonContent(QualityReportSchema, 'The report'), ...problemResponses(404) },
    }),
    async (c) => {
      const { runId } = c.req.valid('param');
      const nodeIds = await runNodeIds(orgStores(deps, principalOf(c)).runs, runId);
      const byNode = await readQuality(deps.s3, deps.stagingBucket, runId, nodeIds);
      const nodes = [...byNode].map(([nodeId, rules]) => ({
        nodeId,
        rules: rules.map((rule) => ({
          rule: rule.rule,
          ...(rule.column ? { column: rule.column } : {}),
          severity: rule.severity,
          checked: rule.checked,
          passed: rule.passed,
          failed: rule.failed,
          examples: [...rule.examples],
        })),
      }));
      return c.json({ nodes }, 200);
    },
  );

  app.openapi(
    secureRoute(deps, {
      method: 'get',
      path: '/runs/{runId}/lineage',
      summary: 'Column lineage per node, as the run recorded it',
      tags: ['runs'],
      request: { params: RunIdParams },
      responses: { 200: jsonContent(LineageSchema, 'Lineage'), ...problemResponses(404) },
    }),
    async (c) => {
      const principal = principalOf(c);
      const { runId } = c.req.valid('param');
      await runNodeIds(orgStores(deps, principal).runs, runId);
      const nodes = await new LineageStore(deps.dynamo, deps.table, principal.org).list(runId);
      return c.json(
        {
          nodes: nodes.map((node) => ({
            nodeId: node.nodeId,
            module: node.module,
            inputs: [...node.inputs],
            columns: node.columns.map((column) => ({
              output: column.output,
              inputs: column.inputs.map((input) => ({ ...input })),
              kind: column.kind,
            })),
          })),
        },
        200,
      );
    },
  );
}
