/** Lambda entry of the `webhook` loader. */
import { createLoaderHandler } from '../../../shared/lambda/loader-handler.ts';
import { commitWebhook, stageWebhook } from './load.ts';
import { webhookModule } from './module.ts';

export const handler = createLoaderHandler(webhookModule, {
  stage: stageWebhook,
  commit: (config, io) => commitWebhook(config, io),
});
