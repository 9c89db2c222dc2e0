/**
 * Column lineage: how each output column of a node comes from its input
 * columns. Modules declare it (`ModuleDefinition.lineage`); a run stores it
 * per node; `etl lineage` follows it back to the source columns.
 */
import type { ColumnInfo } from '../modules/kernels.ts';

/**
 * - `source`: read from outside the pipeline (an extractor's columns);
 * - `direct`: the input values unchanged (possibly renamed or reordered);
 * - `filtered`: the input values unchanged, but the node drops rows;
 * - `derived`: computed row by row from the inputs;
 * - `aggregated`: computed over groups of rows.
 */
export const LINEAGE_KINDS = ['source', 'direct', 'filtered', 'derived', 'aggregated'] as const;
export type LineageKind = (typeof LINEAGE_KINDS)[number];

/** A column of one of the node's inputs; `input` counts the edges into the node, in order. */
export interface InputColumnRef {
  readonly input: number;
  readonly column: string;
}

export interface ColumnLineage {
  readonly output: string;
  readonly inputs: readonly InputColumnRef[];
  readonly kind: LineageKind;
}

export interface LineageColumns {
  /** The columns of each input, in edge order. */
  readonly inputs: readonly (readonly ColumnInfo[])[];
  /** The node's output columns, as the run produced them. */
  readonly outputs: readonly ColumnInfo[];
}

/** What a module declares: its output columns' origins, from its config and the columns around it. */
export type LineageFunction<TConfig> = (
  config: TConfig,
  columns: LineageColumns,
) => readonly ColumnLineage[] | Promise<readonly ColumnLineage[]>;
