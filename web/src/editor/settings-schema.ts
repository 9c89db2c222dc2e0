/**
 * The pipeline-level settings (name, schedule, triggers, notifications) as a
 * JSON Schema, so they are edited by the same schema-driven form as node
 * configs and the API's pointers (`/schedule/cron`) land on their fields as-is.
 */
import type { JsonSchema } from '../forms/json-schema.ts';

const notificationTarget: JsonSchema = {
  type: 'object',
  properties: {
    type: { type: 'string', enum: ['email', 'sns', 'webhook'] },
    address: { type: 'string', description: 'E-mail address (type email)' },
    topic_arn: { type: 'string', description: 'SNS topic ARN (type sns)' },
    connection: {
      type: 'string',
      description: 'Name of an http connection whose secret is the webhook URL (type webhook)',
    },
  },
  required: ['type'],
};

export function settingsSchema(isNew: boolean): JsonSchema {
  return {
    type: 'object',
    properties: {
      ...(isNew
        ? {
            id: {
              type: 'string',
              title: 'Pipeline id',
              description:
                'Letters, digits, _ or -, starting with a letter. Cannot change after the first save.',
            },
          }
        : {}),
      name: { type: 'string', title: 'Name' },
      description: { type: 'string', title: 'Description' },
      schedule: {
        type: 'object',
        title: 'Schedule',
        properties: {
          cron: { type: 'string', description: 'Five-field cron, e.g. "0 3 * * *"' },
          timezone: { type: 'string', default: 'UTC', description: 'IANA time zone, e.g. Europe/Paris' },
          enabled: { type: 'boolean', default: true },
        },
        required: ['cron'],
      },
      triggers: {
        type: 'array',
        title: 'S3 triggers',
        description: 'Start a run when an object is created under this bucket and prefix.',
        items: {
          type: 'object',
          properties: { bucket: { type: 'string' }, prefix: { type: 'string' }, suffix: { type: 'string' } },
          required: ['bucket'],
        },
      },
      notifications: {
        type: 'object',
        title: 'Notifications',
        properties: {
          on_failure: { type: 'array', title: 'On failure', items: notificationTarget },
          on_success: { type: 'array', title: 'On success', items: notificationTarget },
        },
      },
      parameters: {
        type: 'object',
        title: 'Parameters',
        description: 'By name: { "type": "number", "default": 1, "description": "…" }',
        additionalProperties: { type: 'object' },
      },
    },
    required: ['name', ...(isNew ? ['id'] : [])],
  };
}
