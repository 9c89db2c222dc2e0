import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionStore } from '../../../../shared/connections/connection-store.ts';
import { resolveConnection } from '../../../../shared/connections/resolve.ts';
import type { NotificationChannels } from '../../../../shared/notifications/channels.ts';
import { settingsFromStore } from '../../../../shared/notifications/deps.ts';
import { Outbox, type OutboxEntry } from '../../../../shared/notifications/outbox.ts';
import { type RunOutcomeDeps, reportRunOutcome } from '../../../../shared/notifications/run-outcome.ts';
import type { RunOutcome } from '../../../../shared/notifications/run-outcome-types.ts';
import { WebhookSender } from '../../../../shared/notifications/webhook.ts';
import { LocalSecretStore } from '../../../../shared/secrets/local-secret-store.ts';
import { connectionSecretName } from '../../../../shared/secrets/secret-store.ts';
import { PipelineSchema } from '../../../../shared/spec/schema.ts';
import { AlertStore } from '../../../../shared/store/alert-store.ts';
import { PipelineStore } from '../../../../shared/store/pipeline-store.ts';
import { TriggerClaims } from '../../../../shared/triggers/claims.ts';
import { type LocalTable, startLocalTable, TABLE } from '../connections/dynalite.ts';
import { startWebhookFixture, type WebhookFixture } from './webhook-fixture.ts';

const ORG = 'acme';
const TOKEN_PATH = '/services/T0001/B0001/s3cr3tT0ken';

let table: LocalTable;
let scratch: string;
let webhook: WebhookFixture;
let deps: RunOutcomeDeps;
let outboxPath: string;

function outcome(runId: string, overrides: Partial<RunOutcome> = {}): RunOutcome {
  return {
    organization: ORG,
    runId,
    pipelineId: 'sales',
    pipelineName: 'Sales',
    status: 'failed',
    error: {
      nodeId: 'orders',
      name: 'SourceNotFoundError',
      message: 's3://landing/orders.csv does not exist',
    },
    nodes: [
      { nodeId: 'orders', module: 's3-csv', rowsIn: 0, rowsRejected: 0 },
      { nodeId: 'checks', module: 'validate', rowsIn: 0, rowsRejected: 0 },
    ],
    ...overrides,
  };
}

async function outbox(): Promise<OutboxEntry[]> {
  const text = await readFile(outboxPath, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as OutboxEntry);
}

beforeAll(async () => {
  table = await startLocalTable();
  scratch = await mkdtemp(join(tmpdir(), 'etl-notify-'));
  webhook = await startWebhookFixture();
  outboxPath = join(scratch, 'outbox.jsonl');

  const pipeline = PipelineSchema.parse({
    id: 'sales',
    name: 'Sales',
    nodes: [
      { id: 'orders', type: 'extractor', module: 's3-csv', config: { bucket: 'landing', key: 'orders.csv' } },
      {
        id: 'checks',
        type: 'transformer',
        module: 'validate',
        config: { rules: [{ check: 'not_null', column: 'id' }] },
      },
      { id: 'curated', type: 'loader', module: 's3-parquet', config: { bucket: 'data', prefix: 'sales/' } },
    ],
    edges: [
      { source: 'orders', target: 'checks' },
      { source: 'checks', target: 'curated' },
    ],
    notifications: {
      on_failure: [
        { type: 'email', address: 'oncall@example.com' },
        { type: 'webhook', connection: 'ops-hook' },
      ],
      on_success: [{ type: 'email', address: 'team@example.com' }],
    },
  });
  await new PipelineStore(table.client, TABLE, ORG).create('sales', pipeline, 'alice');

  // The webhook URL is the connection's secret, as with Slack: the settings hold nothing secret.
  const secrets = new LocalSecretStore({ dir: join(scratch, 'secrets') });
  const connections = new ConnectionStore(table.client, TABLE, ORG);
  await connections.put({
    name: 'ops-hook',
    type: 'http',
    settings: { base_url: 'https://hooks.example.com', auth: 'none', allow_private_network: true },
    hasSecret: true,
  });
  await secrets.put(connectionSecretName(ORG, 'ops-hook'), `${webhook.url}${TOKEN_PATH}`);

  const mail = new Outbox(outboxPath);
  const sender = new WebhookSender((organization, name) =>
    resolveConnection(name, 'http', { organization, connections, secrets }),
  );
  const channels: NotificationChannels = {
    email: (to, message) => mail.append('email', to, message),
    sns: (to, message) => mail.append('sns', to, message),
    webhook: (connection, message) => sender.send(message.organization, connection, message),
  };
  deps = {
    alerts: new AlertStore(table.client, TABLE, ORG),
    claims: new TriggerClaims(table.client, TABLE),
    channels,
    settings: settingsFromStore(table.client, TABLE),
    qualityWarnings: async () => [
      { nodeId: 'checks', rule: 'not_null:id', column: 'id', failed: 2, checked: 50 },
    ],
  };
});

afterAll(async () => {
  await webhook.close();
  await table.close();
  await rm(scratch, { recursive: true, force: true });
});

describe('reportRunOutcome', () => {
  it('raises one alert and sends each notification once when the failure is reported three times at once', async () => {
    const reports = await Promise.all([1, 2, 3].map(() => reportRunOutcome(outcome('01DUP'), deps)));

    expect(new Set(reports.flatMap((report) => report.alerts.map((alert) => alert.alertId)))).toStrictEqual(
      new Set(['01DUP.run_failed']),
    );
    expect((await deps.alerts.list()).items.filter((alert) => alert.runId === '01DUP')).toHaveLength(1);
    const mails = (await outbox()).filter((entry) => entry.idempotencyKey === '01DUP:failure');
    expect(mails.map((entry) => [entry.channel, entry.to])).toStrictEqual([['email', 'oncall@example.com']]);
    expect(mails[0]?.subject).toBe('ETL run failed: Sales (01DUP)');
    const posts = webhook.received.filter((post) => post.headers['idempotency-key'] === '01DUP:failure');
    expect(posts).toHaveLength(1);
    expect(posts[0]?.path).toBe(TOKEN_PATH);
    expect(posts[0]?.headers['content-type']).toBe('application/json');
    expect((posts[0]?.body as { text?: string } | undefined)?.text).toContain(
      'SourceNotFoundError: s3://landing/orders.csv',
    );
    expect(
      reports.flatMap((report) => report.deliveries.map((delivery) => delivery.outcome)).sort(),
    ).toStrictEqual(['already-sent', 'already-sent', 'already-sent', 'already-sent', 'sent', 'sent']);
  });

  it('tells on_success targets of a success, with a warning alert for failed warn rules', async () => {
    const report = await reportRunOutcome(outcome('01OK', { status: 'success', error: undefined }), deps);

    expect(report.alerts.map((alert) => [alert.type, alert.level])).toStrictEqual([
      ['quality_failed', 'warning'],
    ]);
    const mails = (await outbox()).filter((entry) => entry.idempotencyKey === '01OK:success');
    expect(mails.map((entry) => entry.to)).toStrictEqual(['team@example.com']);
    expect(mails[0]?.text).toContain('checks/not_null:id failed 2 of 50 rows');
    expect(
      webhook.received.filter((post) => post.headers['idempotency-key'] === '01OK:success'),
    ).toHaveLength(0);
  });

  it('keeps the webhook URL out of the error and retries the webhook on the next report', async () => {
    webhook.failNext(1, 400);

    const first = await reportRunOutcome(outcome('01RETRY'), deps);
    const second = await reportRunOutcome(outcome('01RETRY'), deps);

    const failed = first.deliveries.find((delivery) => delivery.outcome === 'failed');
    expect(failed?.target).toBe('webhook');
    expect(failed?.error).toContain('webhook notification through connection "ops-hook" failed');
    expect(failed?.error).not.toContain('s3cr3tT0ken');
    expect(second.deliveries.map((delivery) => delivery.outcome)).toStrictEqual(['already-sent', 'sent']);
    expect(
      webhook.received.filter((post) => post.headers['idempotency-key'] === '01RETRY:failure'),
    ).toHaveLength(1);
  });

  it('notifies nobody for a pipeline the store does not know', async () => {
    const report = await reportRunOutcome(outcome('01GONE', { pipelineId: 'deleted' }), deps);

    expect(report.deliveries).toStrictEqual([]);
    expect(report.alerts.map((alert) => alert.pipelineId)).toStrictEqual(['deleted']);
  });
});
