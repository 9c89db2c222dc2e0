/**
 * Schema drift between the files of one source: what changed, and the one
 * schema that holds them all when a source is allowed to evolve.
 */
import { z } from 'zod';
import { formatS3Uri } from '../aws/s3-uri.ts';
import { DataError } from '../errors.ts';
import type { ColumnInfo } from '../modules/kernels.ts';

export const SCHEMA_DRIFT_POLICIES = ['fail', 'evolve', 'quarantine'] as const;
export type SchemaDriftPolicy = (typeof SCHEMA_DRIFT_POLICIES)[number];

/** The config field every file extractor offers. */
export const SchemaDriftSchema = z
  .enum(SCHEMA_DRIFT_POLICIES)
  .default('fail')
  .describe(
    'When a file\'s columns differ from the first file\'s: "fail" the run naming file and columns, "evolve" to the union of columns (new ones nullable, differing types widened), or "quarantine" the drifting file\'s rows. A later chunk of a file with new fields, or with values the types planned from its first chunk would change, fails (under "evolve" too) or is quarantined',
  );

/** A human reading of how `actual` differs from `reference`, or undefined when they agree. */
export function describeDrift(
  reference: readonly ColumnInfo[],
  actual: readonly ColumnInfo[],
): string | undefined {
  const referenceByName = new Map(reference.map((column) => [column.name, column.type]));
  const actualByName = new Map(actual.map((column) => [column.name, column.type]));
  const added = actual.filter((column) => !referenceByName.has(column.name)).map((column) => column.name);
  const missing = reference.filter((column) => !actualByName.has(column.name)).map((column) => column.name);
  const changed = actual
    .filter((column) => referenceByName.has(column.name) && referenceByName.get(column.name) !== column.type)
    .map((column) => `${column.name} ${referenceByName.get(column.name)} -> ${column.type}`);
  const parts = [
    ...(added.length > 0 ? [`new column(s) ${added.join(', ')}`] : []),
    ...(missing.length > 0 ? [`missing column(s) ${missing.join(', ')}`] : []),
    ...(changed.length > 0 ? [`changed type(s) ${changed.join(', ')}`] : []),
  ];
  return parts.length > 0 ? parts.join('; ') : undefined;
}

const INTEGERS = ['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT'];
const NUMBERS = [...INTEGERS, 'FLOAT', 'DOUBLE'];

/** The narrowest type both values fit: wider integers, DOUBLE for mixed numbers, VARCHAR otherwise. */
export function widerType(left: string, right: string): string {
  if (left === right) return left;
  if (INTEGERS.includes(left) && INTEGERS.includes(right)) {
    return INTEGERS[Math.max(INTEGERS.indexOf(left), INTEGERS.indexOf(right))] as string;
  }
  const numeric = (type: string) => NUMBERS.includes(type) || type.startsWith('DECIMAL');
  if (numeric(left) && numeric(right)) return 'DOUBLE';
  if ((left === 'DATE' && right === 'TIMESTAMP') || (left === 'TIMESTAMP' && right === 'DATE'))
    return 'TIMESTAMP';
  return 'VARCHAR';
}

/** Union by name, in order of first appearance; a column missing from some file becomes nullable there. */
export function unifyColumns(schemas: readonly (readonly ColumnInfo[])[]): ColumnInfo[] {
  const unified = new Map<string, string>();
  for (const schema of schemas) {
    for (const column of schema) {
      const known = unified.get(column.name);
      unified.set(column.name, known === undefined ? column.type : widerType(known, column.type));
    }
  }
  return [...unified].map(([name, type]) => ({ name, type }));
}

export interface FileSchema {
  readonly key: string;
  readonly columns: readonly ColumnInfo[];
}

export interface ResolvedSchema {
  /** What every chunk of the source produces. */
  readonly columns: ColumnInfo[];
  /** Kept in the plan file: `referenceColumns`/`fileColumns` (evolve) or `quarantined` (quarantine). */
  readonly settings: Record<string, unknown>;
}

/**
 * Applies the policy to the files' inferred schemas, the first file being the
 * reference. `fail` throws naming the first drifting file and how it drifts.
 */
export function resolveSchemaDrift(
  policy: SchemaDriftPolicy,
  bucket: string,
  files: readonly FileSchema[],
): ResolvedSchema {
  const [first] = files;
  const reference = [...(first?.columns ?? [])];
  const drifts = new Map<string, string>();
  for (const file of files) {
    const drift = describeDrift(reference, file.columns);
    if (drift !== undefined) drifts.set(file.key, drift);
  }
  const [driftKey, drift] = [...drifts][0] ?? [];
  if (driftKey === undefined || first === undefined) return { columns: reference, settings: {} };

  if (policy === 'fail') {
    throw new DataError(
      `schema drift: ${formatS3Uri(bucket, driftKey)} differs from ${formatS3Uri(bucket, first.key)}: ${drift}` +
        ` (${drifts.size} file(s) drift; set schema_drift to "evolve" or "quarantine" to accept them)`,
    );
  }
  if (policy === 'evolve') {
    const drifting = files.filter((file) => drifts.has(file.key));
    return {
      columns: unifyColumns(files.map((file) => file.columns)),
      settings: {
        referenceColumns: reference,
        fileColumns: Object.fromEntries(drifting.map((file) => [file.key, file.columns])),
      },
    };
  }
  return { columns: reference, settings: { quarantined: Object.fromEntries(drifts) } };
}
