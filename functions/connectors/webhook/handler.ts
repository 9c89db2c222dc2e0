/**
 * Lambda entry of the `webhook` loader. Its commit POSTs, which nothing can
 * roll back: it runs once per run and node (shared/idempotency/commit-once.ts).
 */
import { withCommitOnce } from '../../../shared/idempotency/commit-once.ts';
import { createLoaderHandler } from '../../../shared/lambda/loader-handler.ts';
import { commitWebhook, stageWebhook } from './load.ts';
import { webhookModule } from './module.ts';

export const handler = withCommitOnce(
  'commit-webhook',
  createLoaderHandler(webhookModule, {
    stage: stageWebhook,
    commit: (config, io) => commitWebhook(config, io),
  }),
);
