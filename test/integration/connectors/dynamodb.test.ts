import { CreateTableCommand, DeleteTableCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, NumberValue } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoDbConnector } from '../../../functions/connectors/dynamodb/client.ts';
import { runPipelineLocally } from '../../../shared/runtime/run-local.ts';
import { type Pipeline, PipelineSchema } from '../../../shared/spec/schema.ts';
import {
  putLocalFile,
  queryDataset,
  queryDirectly,
  startTestEnvironment,
  type TestEnvironment,
} from '../harness.ts';
import { invokeLoader, stageSourceChunk, testRun } from './outputs.ts';
import { WEATHER_SOURCE, WEATHER_TYPED_COLUMNS, weatherLoadPipeline } from './weather-loads.ts';

function loadPipeline(table: string, failing = false): Pipeline {
  return weatherLoadPipeline('to dynamodb', BUCKET, { items: { module: 'dynamodb-load', table } }, failing);
}

const BUCKET = 'dynamodb-suite';

let env: TestEnvironment;
const tables: string[] = [];

interface KeyAttribute {
  readonly name: string;
  readonly type: 'S' | 'N';
}

async function createTable(name: string, key: KeyAttribute, sort?: KeyAttribute): Promise<string> {
  const keys = sort === undefined ? [key] : [key, sort];
  await dynamoDbConnector().client.send(
    new CreateTableCommand({
      TableName: name,
      KeySchema: keys.map((attribute, i) => ({
        AttributeName: attribute.name,
        KeyType: i === 0 ? 'HASH' : 'RANGE',
      })),
      AttributeDefinitions: keys.map((attribute) => ({
        AttributeName: attribute.name,
        AttributeType: attribute.type,
      })),
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  tables.push(name);
  return name;
}

async function countItems(table: string): Promise<number> {
  let count = 0;
  let start: Record<string, never> | undefined;
  do {
    const page = await dynamoDbConnector().client.send(
      new ScanCommand({ TableName: table, Select: 'COUNT', ExclusiveStartKey: start }),
    );
    count += page.Count ?? 0;
    start = page.LastEvaluatedKey as Record<string, never> | undefined;
  } while (start !== undefined);
  return count;
}

beforeAll(async () => {
  env = await startTestEnvironment();
  await putLocalFile(env, WEATHER_SOURCE, BUCKET, 'source/weather.csv');
});
afterAll(async () => {
  for (const table of tables) {
    await dynamoDbConnector()
      .client.send(new DeleteTableCommand({ TableName: table }))
      .catch(() => undefined);
  }
  await env?.close();
});

describe('dynamodb-load and dynamodb', () => {
  it('loads every row as an item and scans them back in parallel segments, equal to the source', async () => {
    // Two cities share every date: the item key is (location, date).
    const table = await createTable(
      'weather_items',
      { name: 'location', type: 'S' },
      { name: 'date', type: 'S' },
    );

    const loaded = await runPipelineLocally(loadPipeline(table), env.services);
    const scanned = await runPipelineLocally(
      PipelineSchema.parse({
        name: 'from dynamodb',
        nodes: [
          {
            id: 'scan',
            type: 'extractor',
            module: 'dynamodb',
            config: { table, segments: 3, page_size: 500 },
          },
          { id: 'out', type: 'loader', module: 's3-parquet', config: { bucket: BUCKET, prefix: 'scanned/' } },
        ],
        edges: [{ source: 'scan', target: 'out' }],
      }),
      env.services,
    );

    expect(loaded.run.status, JSON.stringify(loaded.run.error)).toBe('success');
    expect(scanned.run.status, JSON.stringify(scanned.run.error)).toBe('success');
    expect(scanned.nodes.find((node) => node.nodeId === 'scan')?.chunks).toBe(3);
    expect(await countItems(table)).toBe(2922);
    const [published] = await queryDataset(env, BUCKET, 'scanned/', `SELECT count(*) AS n FROM dataset`);
    expect(Number(published?.n)).toBe(2922);
    const rows = await queryDataset(env, BUCKET, 'scanned/', `SELECT ${WEATHER_TYPED_COLUMNS} FROM dataset`);
    const source = await queryDirectly(`SELECT ${WEATHER_TYPED_COLUMNS} FROM read_csv('${WEATHER_SOURCE}')`);
    const sortKey = (row: Record<string, unknown>) => `${String(row.location)} ${String(row.date)}`;
    expect(rows.sort((a, b) => sortKey(a).localeCompare(sortKey(b)))).toStrictEqual(
      source.sort((a, b) => sortKey(a).localeCompare(sortKey(b))),
    );
  });

  it('keeps every digit, lets a later row win over an earlier one of the same key, and stays one copy on retries', async () => {
    const table = await createTable('exact_numbers', { name: 'id', type: 'N' });
    const run = testRun('dynamodb-retry');
    // 9007199254740993 is 2^53 + 1: a JS double would round it. The last row repeats the key of `row 57`.
    const chunk = await stageSourceChunk(
      env,
      run,
      0,
      `SELECT 9007199254740943 + range AS id, CAST('12345678901234567.891' AS DECIMAL(38, 3)) + range AS amount,
              'row ' || range AS label
         FROM range(50, 110)
       UNION ALL SELECT 9007199254741000, 1.5, 'later row wins'`,
    );
    const node = { id: 'items', module: 'dynamodb-load', config: JSON.stringify({ table }) };

    await invokeLoader('dynamodb-load', { action: 'load', run, node, chunk });
    await invokeLoader('dynamodb-load', { action: 'load', run, node, chunk });
    const first = await invokeLoader('dynamodb-load', { action: 'commit', run, node, maxRejectRatio: 1 });
    const again = await invokeLoader('dynamodb-load', { action: 'commit', run, node, maxRejectRatio: 1 });

    expect(first.Payload).toMatchObject({ rows: 61 });
    expect(again.Payload).toMatchObject({ rows: 61 });
    expect(await countItems(table)).toBe(60);
    const get = async (id: string) =>
      (
        await dynamoDbConnector().documents.send(
          new GetCommand({ TableName: table, Key: { id: NumberValue.from(id) } }),
        )
      ).Item;
    const exact = await get('9007199254740993');
    expect(String(exact?.amount)).toBe('12345678901234617.891');
    expect(exact?.label).toBe('row 50');
    expect((await get('9007199254741000'))?.label).toBe('later row wins');
  });

  it('gives segments that hold no item the sampled columns, so a filter on them still runs', async () => {
    const table = await createTable('tiny_items', { name: 'id', type: 'N' });
    const run = testRun('dynamodb-tiny');
    const chunk = await stageSourceChunk(
      env,
      run,
      0,
      "SELECT range AS id, 'label ' || range AS label FROM range(3)",
    );
    const node = { id: 'items', module: 'dynamodb-load', config: JSON.stringify({ table }) };
    await invokeLoader('dynamodb-load', { action: 'load', run, node, chunk });
    await invokeLoader('dynamodb-load', { action: 'commit', run, node, maxRejectRatio: 1 });

    const result = await runPipelineLocally(
      PipelineSchema.parse({
        name: 'tiny scan',
        nodes: [
          { id: 'scan', type: 'extractor', module: 'dynamodb', config: { table, segments: 8 } },
          { id: 'keep', type: 'transformer', module: 'filter', config: { expression: "label <> 'label 1'" } },
          { id: 'out', type: 'loader', module: 's3-parquet', config: { bucket: BUCKET, prefix: 'tiny/' } },
        ],
        edges: [
          { source: 'scan', target: 'keep' },
          { source: 'keep', target: 'out' },
        ],
      }),
      env.services,
    );

    expect(result.run.status, JSON.stringify(result.run.error)).toBe('success');
    expect(result.nodes.find((node) => node.nodeId === 'scan')?.chunks).toBe(8);
    const rows = await queryDataset(
      env,
      BUCKET,
      'tiny/',
      'SELECT CAST(id AS INTEGER) AS id, label FROM dataset ORDER BY id',
    );
    expect(rows).toStrictEqual([
      { id: 0, label: 'label 0' },
      { id: 2, label: 'label 2' },
    ]);
  });

  it('writes nothing when the run fails before Finalize', async () => {
    const table = await createTable(
      'untouched_items',
      { name: 'location', type: 'S' },
      { name: 'date', type: 'S' },
    );

    const result = await runPipelineLocally(loadPipeline(table, true), env.services);

    expect(result.run.status).toBe('failed');
    expect(result.run.error?.nodeId).toBe('check');
    expect(await countItems(table)).toBe(0);
  });

  it("fails a chunk whose rows lack the table's key, and refuses the platform's own table", async () => {
    const table = await createTable('keyed_items', { name: 'sku', type: 'S' });
    const run = testRun('dynamodb-keys');
    const chunk = await stageSourceChunk(env, run, 0, 'SELECT range AS id FROM range(3)');
    const load = (target: string) =>
      invokeLoader('dynamodb-load', {
        action: 'load',
        run,
        node: { id: 'items', module: 'dynamodb-load', config: JSON.stringify({ table: target }) },
        chunk,
      }).then(
        () => undefined,
        (error: unknown) => error as Error,
      );

    const missingKey = await load(table);
    const metadata = await load(env.services.env.metadataTable);

    expect(missingKey?.message).toMatch(/table keyed_items is keyed by sku but the input has no sku/);
    expect(metadata?.message).toMatch(/is the platform's metadata table/);
  });
});
