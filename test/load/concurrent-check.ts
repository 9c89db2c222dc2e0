/**
 * Checks one finished run of the concurrent-runs check: it succeeded, every
 * node's counters add up and chain from node to node, the extractor read
 * what DuckDB counts in the file, each loader received what the oracle
 * keeps, and each destination holds the oracle's rows and checksum.
 */
import type { LocalRunResult } from '../../shared/runtime/run-local.ts';
import type { Pipeline } from '../../shared/spec/schema.ts';
import type { NodeRun } from '../../shared/store/run-types.ts';
import type { Fingerprint } from './concurrent-kind.ts';

export interface RunCheck {
  readonly problems: readonly string[];
  /** Rows compared at the destinations (each output's oracle row count). */
  readonly rowsChecked: number;
  /** Every node's counters, in one comparable string (runs of one kind must agree). */
  readonly counters: string;
}

function countersOf(nodes: readonly NodeRun[]): string {
  return [...nodes]
    .sort((a, b) => a.nodeId.localeCompare(b.nodeId))
    .map((node) => `${node.nodeId}:${node.rowsIn}/${node.rowsOut}/${node.rowsRejected}/${node.rowsFiltered}`)
    .join(' ');
}

/** Problems with the counters themselves: each node balances, and each edge carries what its source put out. */
function counterProblems(pipeline: Pipeline, nodes: readonly NodeRun[], rowsRead: number): string[] {
  const byId = new Map(nodes.map((node) => [node.nodeId, node]));
  const problems: string[] = [];
  for (const spec of pipeline.nodes) {
    const node = byId.get(spec.id);
    if (node === undefined) {
      problems.push(`node ${spec.id} has no counters`);
      continue;
    }
    if (node.status !== 'success') problems.push(`node ${spec.id} ended ${node.status}`);
    if (node.rowsRejected !== 0) problems.push(`node ${spec.id} rejected ${node.rowsRejected} rows`);
    const balanced = node.rowsOut + node.rowsRejected + node.rowsFiltered;
    if (node.rowsIn !== balanced)
      problems.push(`node ${spec.id}: rows in ${node.rowsIn} != out ${node.rowsOut} + rejected + filtered`);
    if (spec.type === 'extractor' && node.rowsOut !== rowsRead)
      problems.push(`extractor ${spec.id} put out ${node.rowsOut} rows; the file holds ${rowsRead}`);
    const sources = pipeline.edges.filter((edge) => edge.target === spec.id);
    const fed = sources.reduce((sum, edge) => sum + (byId.get(edge.source)?.rowsOut ?? 0), 0);
    if (sources.length > 0 && node.rowsIn !== fed)
      problems.push(`node ${spec.id} took in ${node.rowsIn} rows; its inputs put out ${fed}`);
  }
  return problems;
}

export function checkRun(
  pipeline: Pipeline,
  result: LocalRunResult,
  expected: { readonly rowsRead: number; readonly outputs: Fingerprint },
  actual: Fingerprint,
): RunCheck {
  const problems: string[] = [];
  if (result.run.status !== 'success')
    problems.push(`run ended ${result.run.status}${result.run.error ? `: ${result.run.error.message}` : ''}`);
  problems.push(...counterProblems(pipeline, result.nodes, expected.rowsRead));
  let rowsChecked = 0;
  for (const [loader, want] of Object.entries(expected.outputs)) {
    const got = actual[loader];
    rowsChecked += want.rows;
    const received = result.nodes.find((node) => node.nodeId === loader)?.rowsIn;
    if (received !== want.rows)
      problems.push(`loader ${loader} received ${received} rows; the oracle keeps ${want.rows}`);
    if (got === undefined) problems.push(`loader ${loader}: destination not read`);
    else if (got.rows !== want.rows || got.checksum !== want.checksum)
      problems.push(
        `loader ${loader}: destination holds ${got.rows} rows (checksum ${got.checksum}); the oracle ${want.rows} (${want.checksum})`,
      );
  }
  return { problems, rowsChecked, counters: countersOf(result.nodes) };
}
