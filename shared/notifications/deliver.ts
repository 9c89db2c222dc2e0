/**
 * Sends a run's notification to each target of the pipeline's
 * `notifications.on_success` / `on_failure`, once: a claim item per
 * run attempt, event and target (`NOTIFIED#<runId>[.<attempt>]#<event>#<n>`) is written before
 * sending, so a duplicated or retried Finalize/OnFailure sends nothing
 * twice. A target that fails gives its claim back for the retry, and does
 * not keep the other targets from being tried.
 */
import type { z } from 'zod';
import { errorMessage } from '../errors.ts';
import { attemptKey, FIRST_ATTEMPT } from '../executions/run-attempt.ts';
import type { NotificationTargetSchema } from '../spec/schema.ts';
import type { TriggerClaims } from '../triggers/claims.ts';
import type { NotificationChannels } from './channels.ts';
import type { RunNotification } from './message.ts';

export type NotificationTarget = z.output<typeof NotificationTargetSchema>;

export interface DeliveryResult {
  readonly target: NotificationTarget['type'];
  readonly outcome: 'sent' | 'already-sent' | 'failed';
  readonly error?: string;
}

function send(
  channels: NotificationChannels,
  target: NotificationTarget,
  message: RunNotification,
): Promise<void> {
  switch (target.type) {
    case 'email':
      return channels.email(target.address, message);
    case 'sns':
      return channels.sns(target.topic_arn, message);
    case 'webhook':
      return channels.webhook(target.connection, message);
  }
}

export async function deliverNotification(
  targets: readonly NotificationTarget[],
  message: RunNotification,
  claims: TriggerClaims,
  channels: NotificationChannels,
): Promise<DeliveryResult[]> {
  const results: DeliveryResult[] = [];
  for (const [index, target] of targets.entries()) {
    // A redriven run that ends again is a new end to tell: the attempt is part of the claim.
    const id = `NOTIFIED#${attemptKey(message.runId, message.attempt ?? FIRST_ATTEMPT)}#${message.event}#${index}`;
    const claimed = await claims.claim({
      organization: message.organization,
      id,
      attributes: { runId: message.runId, event: message.event, target: target.type },
    });
    if (!claimed) {
      results.push({ target: target.type, outcome: 'already-sent' });
      continue;
    }
    try {
      await send(channels, target, message);
      results.push({ target: target.type, outcome: 'sent' });
    } catch (error) {
      await claims.release(message.organization, id);
      results.push({ target: target.type, outcome: 'failed', error: errorMessage(error) });
    }
  }
  return results;
}
