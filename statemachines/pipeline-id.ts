/**
 * The id a run records for its pipeline: the declared `id`, or one derived
 * from the name that satisfies the spec's identifier rule, so both paths give
 * ids of the same shape.
 */
import type { Pipeline } from '../shared/spec/schema.ts';

const MAX_ID_LENGTH = 64;

/** `"Daily Sales (EU)"` -> `daily-sales-eu`; a name without letters first is prefixed with `p-`. */
export function slugOfName(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const startsWithLetter = /^[a-z]/.test(slug);
  const id = slug === '' ? 'pipeline' : startsWithLetter ? slug : `p-${slug}`;
  return id.slice(0, MAX_ID_LENGTH).replace(/-+$/, '');
}

export function pipelineIdOf(pipeline: Pick<Pipeline, 'id' | 'name'>): string {
  return pipeline.id ?? slugOfName(pipeline.name);
}
