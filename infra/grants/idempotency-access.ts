/**
 * The records of Powertools Idempotency (shared/idempotency/): a function
 * that guards an effect reads, writes and updates them under its
 * organization's prefix through the store grant already, and must also
 * delete them, since a failed attempt gives its in-progress record back so a
 * retry can run. DeleteItem is granted on its own effects' partitions only.
 */
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  GUARDED_EFFECTS,
  type GuardedEffect,
  idempotencyPartition,
} from '../../shared/idempotency/effects.ts';

/** The effects a platform function performs under the idempotency guard (none for most). */
export function guardedEffectsOf(functionName: string): GuardedEffect[] {
  return (Object.keys(GUARDED_EFFECTS) as GuardedEffect[]).filter(
    (effect) => GUARDED_EFFECTS[effect] === functionName,
  );
}

export function grantIdempotencyRecords(
  fn: IFunction,
  functionName: string,
  table: ITableV2,
  organization: string,
): void {
  const effects = guardedEffectsOf(functionName);
  if (effects.length === 0) return;
  fn.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ['dynamodb:DeleteItem'],
      resources: [table.tableArn],
      conditions: {
        'ForAllValues:StringLike': {
          'dynamodb:LeadingKeys': effects.map((effect) => idempotencyPartition(organization, effect)),
        },
      },
    }),
  );
}
