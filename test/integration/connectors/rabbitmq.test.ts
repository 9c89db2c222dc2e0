/**
 * The `rabbitmq` extractor against the RabbitMQ broker on 127.0.0.1:5672,
 * with real data (Seattle weather rows as JSON messages): a run reads the
 * queue without acking; the next run acks what the successful one read and
 * reads only new messages; a failed run loses nothing, its messages are
 * read again by the next run; max_messages bounds a run.
 */
import { join } from 'node:path';
import amqp, { type ChannelModel, type ConfirmChannel } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPipelineLocally } from '../../../shared/runtime/run-local.ts';
import { type Pipeline, PipelineSchema } from '../../../shared/spec/schema.ts';
import {
  queryDataset,
  queryDirectly,
  SHARED_DATA,
  startTestEnvironment,
  type TestEnvironment,
} from '../harness.ts';
import { addConnection, uniqueName } from '../sql-connectors-fixtures.ts';

const SOURCE = join(SHARED_DATA, 'weather.csv');
const BUCKET = 'rabbitmq-out';

let env: TestEnvironment;
let broker: ChannelModel;
let channel: ConfirmChannel;
let rows: Record<string, unknown>[];
const queue = uniqueName('etl_it_queue');
const connection = uniqueName('broker');

async function publish(from: number, to: number): Promise<void> {
  for (let i = from; i < to; i++) {
    channel.sendToQueue(queue, Buffer.from(JSON.stringify(rows[i])), {
      messageId: `weather-${i}`,
      persistent: true,
    });
  }
  await channel.waitForConfirms();
}

async function depth(): Promise<number> {
  return (await channel.checkQueue(queue)).messageCount;
}

function pipeline(output: string, options: { failing?: boolean; maxMessages?: number } = {}): Pipeline {
  const check = options.failing
    ? [
        {
          id: 'check',
          type: 'transformer',
          module: 'filter',
          config: { expression: "CAST('x' AS INTEGER) > 0" },
        },
      ]
    : [];
  return PipelineSchema.parse({
    id: 'rabbitmq-drain',
    name: 'rabbitmq drain',
    nodes: [
      {
        id: 'queue',
        type: 'extractor',
        module: 'rabbitmq',
        config: {
          connection,
          queue,
          idle_ms: 200,
          messages_per_chunk: 200,
          max_messages: options.maxMessages ?? 5000,
        },
      },
      ...check,
      { id: 'out', type: 'loader', module: 's3-parquet', config: { bucket: BUCKET, prefix: output } },
    ],
    edges: options.failing
      ? [
          { source: 'queue', target: 'check' },
          { source: 'check', target: 'out' },
        ]
      : [{ source: 'queue', target: 'out' }],
  });
}

/** The `_message_id`s of a published dataset, as indexes into `rows`. */
async function readIndexes(prefix: string): Promise<number[]> {
  const read = await queryDataset(env, BUCKET, prefix, 'SELECT _message_id FROM dataset');
  return read.map((row) => Number(String(row._message_id).replace('weather-', ''))).sort((a, b) => a - b);
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

beforeAll(async () => {
  env = await startTestEnvironment();
  rows = await queryDirectly(
    `SELECT location, CAST(date AS VARCHAR) AS date, precipitation, temp_max, temp_min, wind, weather FROM read_csv('${SOURCE}') ORDER BY location, date LIMIT 700`,
  );
  broker = await amqp.connect('amqp://guest:guest@127.0.0.1:5672');
  channel = await broker.createConfirmChannel();
  await channel.assertQueue(queue, { durable: true });
  await addConnection(connection, 'amqp', { host: '127.0.0.1', user: 'guest' }, 'guest');
});
afterAll(async () => {
  await channel?.deleteQueue(queue).catch(() => undefined);
  await broker?.close();
  await env?.close();
});

describe('rabbitmq', () => {
  it('reads without acking, then acks what a successful run read and reads only new messages', async () => {
    await publish(0, 500);

    const first = await runPipelineLocally(pipeline('run-1/'), env.services);
    const afterFirst = await depth();
    await publish(500, 600);
    const second = await runPipelineLocally(pipeline('run-2/'), env.services);

    expect(first.run.status, JSON.stringify(first.run.error)).toBe('success');
    expect(second.run.status, JSON.stringify(second.run.error)).toBe('success');
    expect(afterFirst).toBe(500);
    expect(await readIndexes('run-1/')).toStrictEqual(range(0, 500));
    expect(await readIndexes('run-2/')).toStrictEqual(range(500, 600));
    // The first run's 500 are acked now; the second run's 100 wait for the next run.
    expect(await depth()).toBe(100);
    const typed = await queryDataset(
      env,
      BUCKET,
      'run-1/',
      `SELECT location, CAST(date AS VARCHAR) AS date, precipitation, temp_max, temp_min, wind, weather FROM dataset ORDER BY location, date`,
    );
    expect(typed).toStrictEqual(rows.slice(0, 500));
  });

  it('loses nothing when a run fails: its messages are read again by the next run', async () => {
    await publish(600, 650);

    const failed = await runPipelineLocally(pipeline('run-3/', { failing: true }), env.services);
    const afterFailure = await depth();
    const retried = await runPipelineLocally(pipeline('run-4/'), env.services);

    expect(failed.run.status).toBe('failed');
    expect(afterFailure).toBe(50);
    expect(retried.run.status, JSON.stringify(retried.run.error)).toBe('success');
    expect(await readIndexes('run-4/')).toStrictEqual(range(600, 650));
  });

  it('reads at most max_messages in a run', async () => {
    await publish(650, 700);

    const bounded = await runPipelineLocally(pipeline('run-5/', { maxMessages: 20 }), env.services);
    const rest = await runPipelineLocally(pipeline('run-6/'), env.services);

    expect(bounded.run.status, JSON.stringify(bounded.run.error)).toBe('success');
    expect(rest.run.status, JSON.stringify(rest.run.error)).toBe('success');
    expect(await readIndexes('run-5/')).toStrictEqual(range(650, 670));
    expect(await readIndexes('run-6/')).toStrictEqual(range(670, 700));
    expect(await depth()).toBe(30);
  });
});
