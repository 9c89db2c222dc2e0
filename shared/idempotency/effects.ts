/**
 * The effects guarded by Powertools Idempotency (`runOnce`), each with the
 * function that performs it: the CDK app grants that function the effect's
 * records and nothing more (infra/grants/idempotency-access.ts). Effects
 * that are idempotent by construction are not listed here; the table in
 * shared/store/ACCESS-PATTERNS.md names what guards each one.
 */
export const GUARDED_EFFECTS = {
  /** Finalize of a run: watermarks promoted, lineage, the run closed, its success told. */
  finalize: 'control-finalize',
  /** The webhook loader's commit: POSTs, which no transaction can take back. */
  'commit-webhook': 'webhook',
  /**
   * A run started through the API with an `Idempotency-Key` header. The API
   * function is granted its organization's items, DeleteItem included
   * (infra/grants/api-access.ts), so it needs no grant from this map.
   */
  'start-run': 'api',
} as const;

export type GuardedEffect = keyof typeof GUARDED_EFFECTS;

export const IDEMPOTENCY_PARTITION_INFIX = '#IDEMPOTENCY#';

/** `ORG#<org>#IDEMPOTENCY#<effect>`: under the tenant prefix, like every item a function writes. */
export function idempotencyPartition(organization: string, effect: GuardedEffect): string {
  return `ORG#${organization}${IDEMPOTENCY_PARTITION_INFIX}${effect}`;
}
