import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Pipeline, PipelineSchema } from '../../../../shared/spec/schema.ts';
import { InvalidCursorError } from '../../../../shared/store/cursor.ts';
import {
  PipelineConflictError,
  PipelineStore,
  PipelineTooLargeError,
  PipelineTriggerIndex,
} from '../../../../shared/store/pipeline-store.ts';
import { type LocalTable, startLocalTable, TABLE } from '../connections/dynalite.ts';

let table: LocalTable;
let acme: PipelineStore;
let globex: PipelineStore;
let index: PipelineTriggerIndex;

function pipeline(overrides: Record<string, unknown> = {}): Pipeline {
  return PipelineSchema.parse({
    name: 'strikes',
    nodes: [
      { id: 'src', type: 'extractor', module: 's3-csv', config: { bucket: 'raw', prefix: 'in/' } },
      { id: 'out', type: 'loader', module: 's3-parquet', config: { bucket: 'lake', prefix: 'out/' } },
    ],
    edges: [{ source: 'src', target: 'out' }],
    ...overrides,
  });
}

async function itemsUnder(pk: string) {
  const result = await table.client.send(
    new QueryCommand({
      TableName: TABLE,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
    }),
  );
  return result.Items ?? [];
}

beforeAll(async () => {
  table = await startLocalTable();
  acme = new PipelineStore(table.client, TABLE, 'acme');
  globex = new PipelineStore(table.client, TABLE, 'globex');
  index = new PipelineTriggerIndex(table.client, TABLE);
});
afterAll(() => table.close());

describe('PipelineStore', () => {
  it('creates version 1, refuses the same id twice, and keeps organizations apart', async () => {
    const created = await acme.create('a', pipeline(), 'alice', new Date('2026-01-01T00:00:00Z'));
    expect(created).toMatchObject({
      id: 'a',
      version: 1,
      createdBy: 'alice',
      createdAt: '2026-01-01T00:00:00.000Z',
    });
    expect(created.pipeline.id).toBe('a');
    await expect(acme.create('a', pipeline(), 'bob')).rejects.toThrow(PipelineConflictError);
    expect(await globex.getLatest('a')).toBeUndefined();
    await globex.create('a', pipeline({ name: 'theirs' }), 'carol');
    expect((await acme.getLatest('a'))?.pipeline.name).toBe('strikes');
  });

  it('saves a new version only over the expected one; old versions stay as written', async () => {
    await acme.create('b', pipeline(), 'alice');
    const second = await acme.update('b', pipeline({ name: 'v2' }), 1, 'bob');
    expect(second).toMatchObject({ version: 2, createdBy: 'bob', pipeline: { name: 'v2' } });
    await expect(acme.update('b', pipeline({ name: 'lost' }), 1, 'carol')).rejects.toThrow(
      /at version 2, not 1/,
    );
    expect(await acme.update('missing', pipeline(), 1, 'carol')).toBeUndefined();

    expect((await acme.getVersion('b', 1))?.pipeline.name).toBe('strikes');
    expect((await acme.getVersion('b', 2))?.pipeline.name).toBe('v2');
    expect(await acme.getVersion('b', 3)).toBeUndefined();
    expect((await acme.listVersions('b', { limit: 10 }))?.items.map((item) => item.version)).toStrictEqual([
      2, 1,
    ]);
    expect(await acme.getHead('b')).toMatchObject({ version: 2, createdBy: 'alice', updatedBy: 'bob' });
  });

  it('lets exactly one of two concurrent updates of the same version win', async () => {
    await acme.create('race', pipeline(), 'alice');
    const outcomes = await Promise.allSettled([
      acme.update('race', pipeline({ name: 'x' }), 1, 'x'),
      acme.update('race', pipeline({ name: 'y' }), 1, 'y'),
    ]);
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    const [rejected] = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect((rejected as PromiseRejectedResult).reason).toBeInstanceOf(PipelineConflictError);
  });

  it('pages through heads with a cursor that only this list accepts', async () => {
    const store = new PipelineStore(table.client, TABLE, 'paging');
    for (const id of ['p1', 'p2', 'p3', 'p4', 'p5']) await store.create(id, pipeline(), 'alice');
    await store.update('p2', pipeline(), 1, 'bob');
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.list({ limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((head) => head.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toStrictEqual(['p1', 'p2', 'p3', 'p4', 'p5']);
    const first = await store.list({ limit: 2 });
    await expect(acme.list({ limit: 2, cursor: first.nextCursor as string })).rejects.toThrow(
      InvalidCursorError,
    );
    await expect(store.list({ limit: 2, cursor: 'not-base64-json' })).rejects.toThrow(InvalidCursorError);
  });

  it('indexes S3 triggers and schedules of the latest version, and removes them (and its state) with it', async () => {
    await acme.create(
      'triggered',
      pipeline({
        triggers: [
          { type: 's3', bucket: 'landing', prefix: 'orders/', suffix: '.csv' },
          { type: 's3', bucket: 'landing', prefix: 'returns/' },
          { type: 's3', bucket: 'other', prefix: '' },
        ],
        schedule: { cron: '0 3 * * *' },
      }),
      'alice',
    );
    expect(await index.findPipelinesForObject('landing', 'orders/2026/01.csv')).toStrictEqual([
      { organization: 'acme', pipelineId: 'triggered' },
    ]);
    expect(await index.findPipelinesForObject('landing', 'orders/2026/01.json')).toStrictEqual([]);
    expect(await index.findPipelinesForObject('landing', 'returns/x')).toHaveLength(1);
    expect(await index.findPipelinesForObject('other', 'anything')).toHaveLength(1);
    expect((await itemsUnder('S3TRIGGER#landing'))[0]).toMatchObject({ prefixes: ['orders/', 'returns/'] });
    expect(await index.listScheduledPipelines()).toContainEqual({
      organization: 'acme',
      pipelineId: 'triggered',
      cron: '0 3 * * *',
      timezone: 'UTC',
    });

    await acme.update(
      'triggered',
      pipeline({ triggers: [{ type: 's3', bucket: 'landing', prefix: 'new/' }] }),
      1,
      'bob',
    );
    expect(await index.findPipelinesForObject('other', 'anything')).toStrictEqual([]);
    expect(await index.findPipelinesForObject('landing', 'orders/x.csv')).toStrictEqual([]);
    expect(await index.findPipelinesForObject('landing', 'new/x')).toHaveLength(1);
    expect((await index.listScheduledPipelines()).map((entry) => entry.pipelineId)).not.toContain(
      'triggered',
    );

    await table.client.send(
      new PutCommand({
        TableName: TABLE,
        Item: { pk: 'ORG#acme#PIPELINE#triggered', sk: 'WATERMARK#src', value: '2026-01-01' },
      }),
    );
    expect(await acme.delete('triggered')).toBe(true);
    expect(await index.findPipelinesForObject('landing', 'new/x')).toStrictEqual([]);
    expect(await itemsUnder('ORG#acme#PIPELINE#triggered')).toStrictEqual([]);
    expect(await acme.delete('triggered')).toBe(false);
  });

  it('leaves a disabled schedule out of the scheduler index', async () => {
    await acme.create('paused', pipeline({ schedule: { cron: '*/5 * * * *', enabled: false } }), 'alice');
    expect((await index.listScheduledPipelines()).map((entry) => entry.pipelineId)).not.toContain('paused');
    expect((await acme.getHead('paused'))?.schedule).toStrictEqual({
      cron: '*/5 * * * *',
      timezone: 'UTC',
      enabled: false,
    });
  });

  it('remembers the latest run, never going back to an older one', async () => {
    await acme.create('runs', pipeline(), 'alice');
    await acme.noteRun('runs', '01J0000000000000000000000B');
    await acme.noteRun('runs', '01J0000000000000000000000A');
    expect((await acme.getHead('runs'))?.lastRunId).toBe('01J0000000000000000000000B');
    await acme.update('runs', pipeline(), 1, 'bob');
    expect((await acme.getHead('runs'))?.lastRunId).toBe('01J0000000000000000000000B');
    await expect(acme.noteRun('gone', '01J0000000000000000000000C')).resolves.toBeUndefined();
    expect(await acme.getHead('gone')).toBeUndefined();
  });

  it('refuses a document too large for an item', async () => {
    const huge = pipeline({ description: 'x'.repeat(400_000) });
    await expect(acme.create('huge', huge, 'alice')).rejects.toThrow(PipelineTooLargeError);
    expect(await acme.getHead('huge')).toBeUndefined();
  });
});
