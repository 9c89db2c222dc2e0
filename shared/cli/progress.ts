/**
 * Live progress per node while a run executes, drawn from the interpreter's
 * event log: chunks done of planned, and rows out. On a terminal the block
 * is redrawn in place; otherwise a line is printed as each node completes.
 */

import { DISTRIBUTED_SUFFIX } from '../../statemachines/state-names.ts';
import type { EventLog } from '../runtime/interpreter-types.ts';
import type { Pipeline } from '../spec/schema.ts';
import { formatCount } from './format.ts';

interface NodeProgress {
  readonly nodeId: string;
  readonly stage: string;
  chunksDone: number;
  rows: number;
  reported: boolean;
}

type Json = Record<string, unknown>;

function field(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path)
    current = typeof current === 'object' && current !== null ? (current as Json)[key] : undefined;
  return current;
}

export class ProgressView {
  private readonly nodes = new Map<string, NodeProgress>();
  private readonly plannedChunks = new Map<string, number>();
  private drawnLines = 0;

  constructor(
    pipeline: Pipeline,
    /** Extractor each node's chunks come from. */
    stageOf: ReadonlyMap<string, string>,
    private readonly out: NodeJS.WriteStream = process.stdout,
  ) {
    for (const node of pipeline.nodes) {
      this.nodes.set(node.id, {
        nodeId: node.id,
        stage: stageOf.get(node.id) ?? node.id,
        chunksDone: 0,
        rows: 0,
        reported: false,
      });
    }
  }

  onEvent(event: EventLog): void {
    if (event.type !== 'StateExited') return;
    const { name, output } = event.state;
    if (name.startsWith('Plan ')) {
      const count = field(output, 'chunkCount');
      this.plannedChunks.set(name.slice('Plan '.length), typeof count === 'number' ? count : 0);
    }
    // A Distributed Map's copy of a node's state carries a suffix.
    const node = this.nodes.get(
      name.endsWith(DISTRIBUTED_SUFFIX) ? name.slice(0, -DISTRIBUTED_SUFFIX.length) : name,
    );
    if (node !== undefined) {
      node.chunksDone++;
      const rows = field(output, 'chunk', 'rows') ?? field(output, 'rows');
      if (typeof rows === 'number') node.rows += rows;
    }
    this.draw();
  }

  private line(node: NodeProgress): string {
    const planned = this.plannedChunks.get(node.stage);
    const total = planned === undefined ? '?' : String(planned);
    return `  ${node.nodeId.padEnd(24)} ${`${node.chunksDone}/${total}`.padStart(9)} chunks  ${formatCount(node.rows).padStart(12)} rows`;
  }

  private draw(): void {
    const nodes = [...this.nodes.values()];
    if (this.out.isTTY) {
      if (this.drawnLines > 0) this.out.write(`\x1b[${this.drawnLines}A`);
      for (const node of nodes) this.out.write(`\x1b[2K${this.line(node)}\n`);
      this.drawnLines = nodes.length;
      return;
    }
    for (const node of nodes) {
      const planned = this.plannedChunks.get(node.stage);
      if (!node.reported && planned !== undefined && node.chunksDone >= planned) {
        node.reported = true;
        this.out.write(`${this.line(node)}\n`);
      }
    }
  }
}
