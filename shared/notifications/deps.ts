/**
 * What reporting a run's end needs, built from the handler environment once
 * per process: the cloud publishes through SNS (`ETL_NOTIFICATIONS_TOPIC_ARN`),
 * the embedded runtime writes the outbox file (`ETL_OUTBOX_FILE`, set by the
 * local services). Webhooks resolve the run organization's connections.
 */

import type { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoDbClient } from '../aws/clients.ts';
import type { HandlerEnv } from '../aws/env.ts';
import { connectionDeps } from '../connections/deps.ts';
import { resolveConnection } from '../connections/resolve.ts';
import { ConfigError } from '../errors.ts';
import { readQuality } from '../quality/run-quality.ts';
import { AlertStore } from '../store/alert-store.ts';
import { PipelineStore } from '../store/pipeline-store.ts';
import { TriggerClaims } from '../triggers/claims.ts';
import type { NotificationChannels } from './channels.ts';
import { OUTBOX_FILE_ENV, Outbox } from './outbox.ts';
import type { NotificationSettingsSource, RunOutcomeDeps } from './run-outcome.ts';
import type { QualityWarning } from './run-outcome-types.ts';
import { NOTIFICATIONS_TOPIC_ENV, SnsPublisher } from './sns-channel.ts';
import { WebhookSender } from './webhook.ts';

type Log = (message: string, details: Record<string, unknown>) => void;
type EnvSource = Readonly<Record<string, string | undefined>>;

export function channelsFromEnv(
  region: string,
  log: Log,
  env: EnvSource = process.env,
): NotificationChannels {
  const topicArn = env[NOTIFICATIONS_TOPIC_ENV];
  const outboxPath = env[OUTBOX_FILE_ENV];
  const webhooks = new WebhookSender((organization, name) =>
    resolveConnection(name, 'http', connectionDeps(organization)),
  );
  const webhook = (connection: string, message: Parameters<NotificationChannels['webhook']>[1]) =>
    webhooks.send(message.organization, connection, message);
  if (topicArn) {
    const sns = new SnsPublisher(new SNSClient({ region }), topicArn);
    return { email: (to, m) => sns.email(to, m), sns: (to, m) => sns.sns(to, m), webhook };
  }
  if (outboxPath) {
    const outbox = new Outbox(outboxPath, log);
    return {
      email: (to, m) => outbox.append('email', to, m),
      sns: (to, m) => outbox.append('sns', to, m),
      webhook,
    };
  }
  const missing = async () => {
    throw new ConfigError(
      `email and SNS notifications need ${NOTIFICATIONS_TOPIC_ENV} (cloud) or ${OUTBOX_FILE_ENV} (local); neither is set`,
    );
  };
  return { email: missing, sns: missing, webhook };
}

export function settingsFromStore(client: DynamoDBDocumentClient, table: string): NotificationSettingsSource {
  return {
    async notificationsFor(organization, pipelineId, version) {
      const store = new PipelineStore(client, table, organization);
      const found =
        version === undefined
          ? await store.getLatest(pipelineId)
          : await store.getVersion(pipelineId, version);
      return found?.pipeline.notifications;
    },
  };
}

export function qualityWarningsFromS3(
  s3: S3Client,
  stagingBucket: string,
): RunOutcomeDeps['qualityWarnings'] {
  return async (runId, nodeIds) => {
    const warnings: QualityWarning[] = [];
    for (const [nodeId, rules] of await readQuality(s3, stagingBucket, runId, nodeIds)) {
      for (const rule of rules) {
        if (rule.severity !== 'warn' || rule.failed === 0) continue;
        warnings.push({
          nodeId,
          rule: rule.rule,
          column: rule.column,
          failed: rule.failed,
          checked: rule.checked,
        });
      }
    }
    return warnings;
  };
}

let cached: { key: string; client: DynamoDBDocumentClient; channels: NotificationChannels } | undefined;

export function runOutcomeDeps(
  env: HandlerEnv,
  s3: S3Client,
  organization: string,
  log: Log,
): RunOutcomeDeps {
  const key = JSON.stringify([env, process.env[NOTIFICATIONS_TOPIC_ENV], process.env[OUTBOX_FILE_ENV]]);
  if (cached?.key !== key) {
    cached = { key, client: createDynamoDbClient(env), channels: channelsFromEnv(env.region, log) };
  }
  return {
    alerts: new AlertStore(cached.client, env.metadataTable, organization),
    claims: new TriggerClaims(cached.client, env.metadataTable),
    channels: cached.channels,
    settings: settingsFromStore(cached.client, env.metadataTable),
    qualityWarnings: qualityWarningsFromS3(s3, env.stagingBucket),
  };
}
