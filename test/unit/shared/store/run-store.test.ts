import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDynamoDbClient } from '../../../../shared/aws/clients.ts';
import { StorageUnavailableError, TerminalError } from '../../../../shared/errors.ts';
import { RunStore } from '../../../../shared/store/run-store.ts';
import type { ChunkMetrics, RunRecord } from '../../../../shared/store/run-types.ts';
import { metadataTableDefinition } from '../../../../shared/store/table-definition.ts';

const TABLE = 'etl-metadata-test';
const ORG = 'acme';
const NODES = [
  { nodeId: 'strikes', module: 's3-csv' },
  { nodeId: 'costly', module: 'filter' },
  { nodeId: 'curated', module: 's3-parquet' },
];

let server: Server;
let client: DynamoDBDocumentClient;
let store: RunStore;
let runCounter = 0;

/** Run ids are ULIDs in production; these sort the same way (by time, as text). */
function nextRunId(): string {
  runCounter++;
  return `01J${String(runCounter).padStart(23, '0')}`;
}

function runRecord(runId: string, overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    runId,
    organization: ORG,
    pipelineId: 'birdstrikes',
    pipelineName: 'Bird strikes',
    status: 'running',
    trigger: 'manual',
    parameters: { min_cost: 1 },
    startedAt: '2024-05-01T00:00:00.000Z',
    ...overrides,
  };
}

function chunk(chunkIndex: number, rowsIn: number, rowsFiltered = 0): ChunkMetrics {
  return {
    chunkIndex,
    rowsIn,
    rowsOut: rowsIn - rowsFiltered,
    rowsRejected: 0,
    rowsFiltered,
    durationMs: 10,
    bytesOut: rowsIn * 100,
  };
}

async function startedRun(): Promise<string> {
  const runId = nextRunId();
  await store.startRun(runRecord(runId), NODES);
  return runId;
}

beforeAll(async () => {
  server = dynalite({ createTableMs: 0 });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => done());
  });
  const { port } = server.address() as AddressInfo;
  client = createDynamoDbClient({ region: 'us-east-1', dynamoDbEndpoint: `http://127.0.0.1:${port}` });
  await client.send(new CreateTableCommand(metadataTableDefinition(TABLE)));
  store = new RunStore(client, TABLE, ORG);
});

afterAll(async () => {
  client?.destroy();
  await new Promise<void>((done) => server.close(() => done()));
});

describe('RunStore', () => {
  describe('startRun', () => {
    it('records the run and every node as pending with zero counters', async () => {
      const runId = nextRunId();

      await store.startRun(runRecord(runId), NODES);

      expect(await store.getRun(runId)).toStrictEqual(runRecord(runId));
      const nodes = await store.getNodeRuns(runId);
      expect(nodes.map((node) => node.nodeId).sort()).toStrictEqual(['costly', 'curated', 'strikes']);
      expect(nodes.find((node) => node.nodeId === 'costly')).toStrictEqual({
        nodeId: 'costly',
        module: 'filter',
        status: 'pending',
        rowsIn: 0,
        rowsOut: 0,
        rowsRejected: 0,
        rowsFiltered: 0,
        chunks: 0,
        durationMs: 0,
      });
    });

    it('is safe to repeat for the same run', async () => {
      const runId = await startedRun();

      await store.startRun(runRecord(runId), NODES);

      expect(await store.getNodeRuns(runId)).toHaveLength(3);
    });
  });

  describe('getRun', () => {
    it('returns undefined for a run that was never started', async () => {
      expect(await store.getRun('01JNOTSTARTED')).toBeUndefined();
    });

    it('does not see another organization’s runs', async () => {
      const runId = await startedRun();

      const other = new RunStore(client, TABLE, 'other-org');

      expect(await other.getRun(runId)).toBeUndefined();
      expect(await other.getNodeRuns(runId)).toStrictEqual([]);
    });
  });

  describe('recordChunk and finishRun', () => {
    it('overwrites a retried chunk instead of adding to it', async () => {
      const runId = await startedRun();

      await store.recordChunk(runId, 'costly', chunk(0, 100, 40));
      await store.recordChunk(runId, 'costly', chunk(0, 100, 30));
      const nodes = await store.finishRun(runId, 'success', '2024-05-01T00:05:00.000Z');

      expect(nodes.find((node) => node.nodeId === 'costly')).toMatchObject({
        rowsIn: 100,
        rowsOut: 70,
        rowsFiltered: 30,
        chunks: 1,
        durationMs: 10,
      });
    });

    it('sums chunk counters per node and sets the run status', async () => {
      const runId = await startedRun();
      await store.recordChunk(runId, 'strikes', chunk(0, 500));
      await store.recordChunk(runId, 'strikes', chunk(1, 250));
      await store.recordChunk(runId, 'costly', chunk(0, 500, 100));
      await store.recordChunk(runId, 'costly', chunk(1, 250, 50));

      const finished = await store.finishRun(runId, 'success', '2024-05-01T00:05:00.000Z');

      const byId = new Map(finished.map((node) => [node.nodeId, node]));
      expect(byId.get('strikes')).toMatchObject({ status: 'success', rowsIn: 750, rowsOut: 750, chunks: 2 });
      expect(byId.get('costly')).toMatchObject({
        status: 'success',
        rowsIn: 750,
        rowsOut: 600,
        rowsFiltered: 150,
        rowsRejected: 0,
        chunks: 2,
        durationMs: 20,
      });
      // A successful run marks every node done, even one without chunk counters.
      expect(byId.get('curated')).toMatchObject({ status: 'success', rowsIn: 0, chunks: 0 });
      expect(await store.getNodeRuns(runId)).toEqual(expect.arrayContaining(finished));
      expect(await store.getRun(runId)).toStrictEqual(
        runRecord(runId, { status: 'success', finishedAt: '2024-05-01T00:05:00.000Z' }),
      );
    });

    it('computes the same totals when finishRun is repeated', async () => {
      const runId = await startedRun();
      await store.recordChunk(runId, 'strikes', chunk(0, 10));

      const first = await store.finishRun(runId, 'success', '2024-05-01T00:05:00.000Z');
      const second = await store.finishRun(runId, 'success', '2024-05-01T00:06:00.000Z');

      expect(second).toStrictEqual(first);
    });

    it('keeps a failed node failed through finishRun and records the run error', async () => {
      const runId = await startedRun();
      const error = { nodeId: 'costly', name: 'DataError', message: 'cannot cast "x" to DOUBLE' };
      await store.recordChunk(runId, 'strikes', chunk(0, 10));
      await store.recordChunk(runId, 'costly', chunk(0, 10, 2));
      await store.recordNodeFailure(runId, 'costly', error);

      const finished = await store.finishRun(runId, 'failed', '2024-05-01T00:05:00.000Z', error);

      const byId = new Map(finished.map((node) => [node.nodeId, node]));
      expect(byId.get('costly')).toMatchObject({ status: 'failed', error, rowsIn: 10, rowsFiltered: 2 });
      expect(byId.get('strikes')).toMatchObject({ status: 'success', chunks: 1 });
      // A failed run leaves nodes that never ran pending.
      expect(byId.get('curated')).toMatchObject({ status: 'pending', chunks: 0 });
      const stored = await store.getNodeRuns(runId);
      expect(stored.find((node) => node.nodeId === 'costly')).toMatchObject({ status: 'failed', error });
      expect(await store.getRun(runId)).toMatchObject({
        status: 'failed',
        finishedAt: '2024-05-01T00:05:00.000Z',
        error,
      });
    });

    it('sums every chunk when the chunk items span more than one 1 MB query page', async () => {
      const runId = await startedRun();
      const chunks = 30;
      for (let index = 0; index < chunks; index++) {
        // Extra attributes travel with the item: 100 KB each pushes the query past 1 MB per page.
        const padded = { ...chunk(index, index + 1), padding: 'x'.repeat(100_000) };
        await store.recordChunk(runId, 'strikes', padded);
      }
      const send = vi.spyOn(client, 'send');

      const finished = await store.finishRun(runId, 'success', '2024-05-01T00:05:00.000Z');

      const chunkQueries = send.mock.calls.filter(
        ([command]) =>
          command instanceof QueryCommand &&
          command.input.ExpressionAttributeValues?.[':prefix'] === 'CHUNK#',
      );
      send.mockRestore();
      expect(chunkQueries.length).toBeGreaterThanOrEqual(3);
      expect(finished.find((node) => node.nodeId === 'strikes')).toMatchObject({
        rowsIn: (chunks * (chunks + 1)) / 2,
        chunks,
        durationMs: chunks * 10,
      });
    });
  });

  describe('recordNodeFailure', () => {
    it('marks the node failed with its error, keeping its other fields', async () => {
      const runId = await startedRun();

      await store.recordNodeFailure(runId, 'strikes', { name: 'SourceNotFoundError', message: 'no files' });

      const item = await client.send(
        new GetCommand({ TableName: TABLE, Key: { pk: `ORG#${ORG}#RUN#${runId}`, sk: 'NODE#strikes' } }),
      );
      expect(item.Item).toMatchObject({
        module: 's3-csv',
        status: 'failed',
        error: { name: 'SourceNotFoundError', message: 'no files' },
      });
    });
  });

  describe('listRuns', () => {
    it('lists runs newest first, up to the limit', async () => {
      const listing = new RunStore(client, TABLE, 'listing-org');
      const ids = [nextRunId(), nextRunId(), nextRunId()];
      // Started out of order: the listing follows run ids, not insertion.
      for (const runId of [ids[1], ids[0], ids[2]]) {
        if (runId !== undefined) await listing.startRun(runRecord(runId), []);
      }

      const all = await listing.listRuns(10);
      const two = await listing.listRuns(2);

      expect(all.map((run) => run.runId)).toStrictEqual([...ids].reverse());
      expect(two.map((run) => run.runId)).toStrictEqual([ids[2], ids[1]]);
      expect(all[0]).toStrictEqual(runRecord(ids[2] ?? '', { organization: 'listing-org' }));
    });

    it('returns an empty list for an organization without runs', async () => {
      expect(await new RunStore(client, TABLE, 'nobody').listRuns(5)).toStrictEqual([]);
    });
  });

  describe('errors', () => {
    it('fails with a terminal error when the table does not exist', async () => {
      const missing = new RunStore(client, 'no-such-table', ORG);

      const attempt = missing.getRun('01JANY');

      await expect(attempt).rejects.toBeInstanceOf(TerminalError);
      await expect(attempt).rejects.toThrow(/reading run in table no-such-table: ResourceNotFoundException/);
    });

    it('fails with a transient error when DynamoDB cannot be reached', async () => {
      const unreachable = createDynamoDbClient({
        region: 'us-east-1',
        dynamoDbEndpoint: 'http://127.0.0.1:9',
      });
      const offline = new RunStore(unreachable, TABLE, ORG);

      try {
        await expect(offline.getRun('01JANY')).rejects.toBeInstanceOf(StorageUnavailableError);
      } finally {
        unreachable.destroy();
      }
    });
  });
});
