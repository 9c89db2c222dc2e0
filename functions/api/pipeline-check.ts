/** Validation and translation of a pipeline document sent to the API. */

import type { ModuleRegistry } from '../../shared/modules/registry.ts';
import { runsAsBarrier } from '../../shared/modules/types.ts';
import type { Pipeline } from '../../shared/spec/schema.ts';
import { type ValidationError, validatePipeline } from '../../shared/spec/validate.ts';
import type { StateMachineDefinition } from '../../statemachines/asl-types.ts';
import { TranslationError } from '../../statemachines/errors.ts';
import { translatePipeline } from '../../statemachines/translate.ts';
import type { ApiDeps } from './deps.ts';
import { invalidPipeline } from './validation.ts';

export type PipelineCheck =
  | { readonly ok: true; readonly pipeline: Pipeline; readonly asl: StateMachineDefinition }
  | { readonly ok: false; readonly errors: readonly ValidationError[] };

/** Every problem with pointers, then the translation (its problems point at the whole document). */
export async function checkPipeline(deps: ApiDeps, document: unknown): Promise<PipelineCheck> {
  const result = await validatePipeline(document, deps.registry);
  if (!result.ok) return { ok: false, errors: result.errors };
  try {
    const asl = translatePipeline(result.pipeline, { resolveFunctionArn: deps.resolveFunctionArn });
    return { ok: true, pipeline: result.pipeline, asl };
  } catch (error) {
    if (!(error instanceof TranslationError)) throw error;
    return {
      ok: false,
      errors: error.problems.map((message) => ({ pointer: '', code: 'schema' as const, message })),
    };
  }
}

/** The ASL of a valid pipeline; otherwise a 422 problem with every error's pointer. */
export async function translateOrReject(deps: ApiDeps, document: unknown): Promise<StateMachineDefinition> {
  const check = await checkPipeline(deps, document);
  if (!check.ok) throw invalidPipeline(check.errors);
  return check.asl;
}

/**
 * The ids of the nodes that end a stage (their input is shuffled by key,
 * then reduced per bucket), read from the document as sent: the editor marks
 * them even while other nodes still have errors. A node with an unknown
 * module or an invalid config is not one (it cannot run at all yet).
 */
export function barrierNodeIds(registry: ModuleRegistry, document: unknown): string[] {
  const nodes = (document as { nodes?: unknown } | null)?.nodes;
  if (!Array.isArray(nodes)) return [];
  return nodes.flatMap((node: unknown) => {
    if (typeof node !== 'object' || node === null) return [];
    const { id, module: name, config } = node as { id?: unknown; module?: unknown; config?: unknown };
    if (typeof id !== 'string' || typeof name !== 'string') return [];
    const module = registry.get(name);
    return module !== undefined && runsAsBarrier(module, config ?? {}) ? [id] : [];
  });
}
