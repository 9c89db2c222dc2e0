/**
 * The module registry's contract: every connector and transform is described
 * once here, and validation, the translator, the CDK app, the console palette
 * and the README's module table all read it.
 */
import type { z } from 'zod';
import type { LineageFunction } from '../lineage/types.ts';
import type { NodeType } from '../spec/schema.ts';

/** A problem found in a node's config, `path` relative to the config object. */
export interface ConfigIssue {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

export interface LambdaSizing {
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
}

export interface ModuleDefinition<TSchema extends z.ZodType = z.ZodType> {
  /** Registry key, used in pipeline JSON as `module`, e.g. `s3-csv`. */
  readonly name: string;
  readonly kind: NodeType;
  readonly title: string;
  readonly description: string;
  readonly configSchema: TSchema;
  /**
   * Chunk-local modules run per chunk inside one Map iteration. Barrier
   * modules (global dedup, aggregate, join, sort) end a stage.
   */
  readonly chunkLocal: boolean;
  /**
   * For a chunk-local module that some configs turn into a barrier (validate
   * with a `unique` rule needs every chunk's rows): true for such a config.
   * Its handler then carries the transform and the barrier steps alike.
   */
  readonly barrierWhen?: (config: z.output<TSchema>) => boolean;
  /** Checks a schema can't express (SQL that must parse), run at validation time and at cold start. */
  readonly checkConfig?: (config: z.output<TSchema>) => Promise<ConfigIssue[]>;
  /** How output columns derive from input columns; transforms declare it, stored per node and run. */
  readonly lineage?: LineageFunction<z.output<TSchema>>;
  readonly lambda: LambdaSizing;
  /** How many inputs the node takes. Default: none for extractors, exactly one otherwise. */
  readonly inputs?: InputArity;
}

export interface InputArity {
  readonly min: number;
  readonly max: number;
}

export function inputArity(module: Pick<AnyModuleDefinition, 'kind' | 'inputs'>): InputArity {
  return module.inputs ?? (module.kind === 'extractor' ? { min: 0, max: 0 } : { min: 1, max: 1 });
}

export type AnyModuleDefinition = ModuleDefinition<z.ZodType>;

/** Whether a node of `module` with `config` ends a stage (shuffle, then reduce per bucket). */
export function runsAsBarrier(module: AnyModuleDefinition, config: unknown): boolean {
  if (!module.chunkLocal) return true;
  if (module.barrierWhen === undefined) return false;
  // An invalid config never reaches a run (validation reports it first): planning it chunk-local is harmless.
  const parsed = module.configSchema.safeParse(config);
  return parsed.success && module.barrierWhen(parsed.data);
}

/** Helper that keeps the schema's precise type while checking the shape. */
export function defineModule<TSchema extends z.ZodType>(
  definition: ModuleDefinition<TSchema>,
): ModuleDefinition<TSchema> {
  return definition;
}

export const DEFAULT_LAMBDA_SIZING: LambdaSizing = { memoryMb: 1769, timeoutSeconds: 900 };
