/**
 * A run's data-quality report: the per-chunk reports a `validate` node writes
 * beside its chunks (`runs/<runId>/<node>/quality/`), summed per rule. Read
 * by `etl show` and by the API's `GET /runs/{runId}/quality`.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { getJson, listObjects } from '../aws/s3-objects.ts';

const ChunkQualitySchema = z.object({
  rows: z.number(),
  rules: z.array(
    z.object({
      rule: z.string(),
      column: z.string(),
      severity: z.string(),
      checked: z.number(),
      passed: z.number(),
      failed: z.number(),
      examples: z.array(z.string()),
    }),
  ),
});
export type ChunkQuality = z.output<typeof ChunkQualitySchema>;

export interface RuleTotals {
  readonly rule: string;
  readonly column: string;
  readonly severity: string;
  readonly checked: number;
  readonly passed: number;
  readonly failed: number;
  /** The smallest few failing values across chunks, as each chunk reports its smallest. */
  readonly examples: readonly string[];
}

export const QUALITY_EXAMPLES = 3;

export function qualityPrefix(runId: string, nodeId: string): string {
  return `runs/${runId}/${nodeId}/quality/`;
}

/**
 * Text in DuckDB's order (UTF-8 bytes), in which each chunk picked its
 * smallest examples: so the run's examples are the smallest over the whole
 * input, the same however the input was chunked.
 */
function byUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Sums chunk reports per rule, keeping rule order and the smallest failing examples. */
export function sumQuality(reports: readonly ChunkQuality[]): RuleTotals[] {
  const totals = new Map<string, RuleTotals>();
  for (const report of reports) {
    for (const rule of report.rules) {
      const sum = totals.get(rule.rule);
      totals.set(rule.rule, {
        rule: rule.rule,
        column: rule.column,
        severity: rule.severity,
        checked: (sum?.checked ?? 0) + rule.checked,
        passed: (sum?.passed ?? 0) + rule.passed,
        failed: (sum?.failed ?? 0) + rule.failed,
        examples: [...(sum?.examples ?? []), ...rule.examples].sort(byUtf8).slice(0, QUALITY_EXAMPLES),
      });
    }
  }
  return [...totals.values()];
}

/** Reads and sums each node's reports; nodes without reports are left out. */
export async function readQuality(
  s3: S3Client,
  stagingBucket: string,
  runId: string,
  nodeIds: readonly string[],
): Promise<Map<string, RuleTotals[]>> {
  const byNode = new Map<string, RuleTotals[]>();
  for (const nodeId of nodeIds) {
    const objects = await listObjects(s3, stagingBucket, qualityPrefix(runId, nodeId));
    const reports: ChunkQuality[] = [];
    for (const object of objects) {
      const parsed = ChunkQualitySchema.safeParse(await getJson(s3, stagingBucket, object.key));
      if (!parsed.success) throw new Error(`quality report s3://${stagingBucket}/${object.key} is malformed`);
      reports.push(parsed.data);
    }
    if (reports.length > 0) byNode.set(nodeId, sumQuality(reports));
  }
  return byNode;
}
