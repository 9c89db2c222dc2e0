/**
 * `etl lineage <runId> [column]`: where a run's columns come from. Without a
 * column, every node's columns and their inputs; with one, its trace from
 * the pipeline's end (or `--node`) back to the source columns.
 */
import type { Command, Option } from 'commander';
import { handlerDeps } from '../../lambda/deps.ts';
import { lineageStoreFor } from '../../lineage/record.ts';
import type { NodeLineage } from '../../lineage/run-lineage.ts';
import { type ColumnTrace, sinkNodes, sourceColumns, traceColumn } from '../../lineage/trace.ts';
import { startLocalServices } from '../../runtime/local-services.ts';
import { renderTable } from '../format.ts';

/** `node.column`, quoting a column name that is not a plain identifier. */
function columnLabel(nodeId: string, column: string): string {
  return `${nodeId}.${/^[A-Za-z_][A-Za-z0-9_]*$/.test(column) ? column : JSON.stringify(column)}`;
}

export function renderLineageTable(nodes: readonly NodeLineage[]): string {
  const rows = nodes.flatMap((node) =>
    node.problem !== undefined
      ? [[node.nodeId, node.module, '-', 'unknown', node.problem]]
      : node.columns.map((entry) => [
          node.nodeId,
          node.module,
          entry.output,
          entry.kind,
          entry.inputs.map((ref) => columnLabel(node.inputs[ref.input] ?? '?', ref.column)).join(', ') || '-',
        ]),
  );
  return renderTable(['node', 'module', 'column', 'kind', 'from'], rows);
}

export function renderTrace(trace: ColumnTrace): string {
  const lines: string[] = [];
  const visit = (node: ColumnTrace, prefix: string, childPrefix: string) => {
    lines.push(
      `${prefix}${columnLabel(node.nodeId, node.column)}  (${node.module}, ${node.kind ?? 'unknown'})`,
    );
    node.from.forEach((child, index) => {
      const last = index === node.from.length - 1;
      visit(child, `${childPrefix}${last ? '└─ ' : '├─ '}`, `${childPrefix}${last ? '   ' : '│  '}`);
    });
  };
  visit(trace, '', '');
  const sources = sourceColumns(trace).map((source) => columnLabel(source.nodeId, source.column));
  lines.push(`sources: ${sources.length > 0 ? sources.join(', ') : 'none (computed without input columns)'}`);
  return lines.join('\n');
}

/** The traces of `column` from `nodeId`, or from every end node that has it. */
export function traceFromEnds(nodes: readonly NodeLineage[], column: string, nodeId?: string): ColumnTrace[] {
  const starts = nodeId === undefined ? sinkNodes(nodes).map((node) => node.nodeId) : [nodeId];
  return starts.flatMap((id) => traceColumn(nodes, id, column) ?? []);
}

/** Returns the exit code: 1 when the run has no lineage or the column is not found. */
export async function lineageCommand(
  runId: string,
  column: string | undefined,
  options: { dataDir: string; node?: string },
): Promise<number> {
  const services = await startLocalServices(options.dataDir);
  try {
    const nodes = await lineageStoreFor(handlerDeps()).list(runId);
    if (nodes.length === 0) {
      console.error(`etl: no lineage recorded for run ${runId} in ${services.dataDir} (see etl runs)`);
      return 1;
    }
    if (column === undefined) {
      console.log(renderLineageTable(nodes));
      return 0;
    }
    const traces = traceFromEnds(nodes, column, options.node);
    if (traces.length === 0) {
      const where = options.node === undefined ? 'at the end of the pipeline' : `at node ${options.node}`;
      console.error(`etl: run ${runId} has no column ${JSON.stringify(column)} ${where}`);
      return 1;
    }
    console.log(traces.map(renderTrace).join('\n\n'));
    return 0;
  } finally {
    await services.stop();
  }
}

export function registerLineageCommand(program: Command, dataDir: () => Option): void {
  program
    .command('lineage <run-id> [column]')
    .description("show where a run's columns come from, back to the source columns")
    .option('--node <id>', 'trace the column from this node instead of the pipeline ends')
    .addOption(dataDir())
    .action(
      async (runId: string, column: string | undefined, options: { dataDir: string; node?: string }) => {
        process.exitCode = await lineageCommand(runId, column, options);
      },
    );
}
