/**
 * Runs, per-node task runs and per-chunk counters in the single metadata table.
 *
 * | item        | pk                       | sk                          |
 * |-------------|--------------------------|-----------------------------|
 * | run         | ORG#<org>                | RUN#<runId>                 |
 * | node run    | ORG#<org>#RUN#<runId>    | NODE#<nodeId>               |
 * | chunk       | ORG#<org>#RUN#<runId>    | CHUNK#<nodeId>#<index:5>    |
 *
 * Runs list newest first by querying the org partition (run ids are ULIDs,
 * so they sort by time). Node and chunk items expire through the table's TTL
 * (`expiresAt`, shared/store/retention.ts); the run item does not. Chunk
 * items are keyed by node and index, so a retried chunk overwrites its own
 * counters instead of adding to them.
 */
import {
  BatchGetCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { decodeCursor, encodeCursor, type Page } from './cursor.ts';
import { runDetailExpiry, runDetailRetentionDays } from './retention.ts';
import type {
  ChunkMetrics,
  NewRunRecord,
  NodeRun,
  RowCounters,
  RunError,
  RunRecord,
  RunStatus,
} from './run-types.ts';
import { ZERO_COUNTERS } from './run-types.ts';
import { callTable } from './table-call.ts';

type Item = Record<string, unknown>;

export interface NodeTotals extends RowCounters {
  readonly durationMs: number;
  readonly chunks: number;
}

const ZERO_TOTALS: NodeTotals = { ...ZERO_COUNTERS, durationMs: 0, chunks: 0 };

export interface RunListOptions {
  /** 1..100 */
  readonly limit: number;
  readonly cursor?: string;
  readonly pipelineId?: string;
  readonly status?: RunStatus;
}

/** Runs a filtered list reads per query, and at most per page. */
const LIST_SCAN_PAGE = 200;
const LIST_SCAN_LIMIT = 2000;

export interface RunStoreOptions {
  /**
   * Days per-run detail (node runs, chunk counters) is kept before TTL removes it.
   * @default runDetailRetentionDays() (`ETL_RUN_DETAIL_RETENTION_DAYS`, else 90)
   */
  readonly retentionDays?: number;
  /**
   * The clock expiries count from.
   * @default the current time
   */
  readonly now?: () => Date;
}

export class RunStore {
  private readonly retentionDays: number;
  private readonly now: () => Date;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly organization: string,
    options: RunStoreOptions = {},
  ) {
    this.retentionDays = options.retentionDays ?? runDetailRetentionDays();
    this.now = options.now ?? (() => new Date());
  }

  /** When detail written now expires; the run item itself never does. */
  private expiresAt(): number {
    return runDetailExpiry(this.retentionDays, this.now());
  }

  private runsPk(): string {
    return `ORG#${this.organization}`;
  }

  private runPk(runId: string): string {
    return `ORG#${this.organization}#RUN#${runId}`;
  }

  private send<T>(what: string, call: () => Promise<T>): Promise<T> {
    return callTable(this.table, what, call);
  }

  /** Records the start of a run and its nodes as pending. Safe to repeat for the same run. */
  async startRun(run: NewRunRecord, nodes: readonly { nodeId: string; module: string }[]): Promise<void> {
    await this.send('recording run start', () =>
      this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: this.runsPk(), sk: `RUN#${run.runId}`, ...run, organization: this.organization },
        }),
      ),
    );
    for (const node of nodes) {
      const item: NodeRun = { ...node, ...ZERO_COUNTERS, status: 'pending', chunks: 0, durationMs: 0 };
      await this.send('recording node', () =>
        this.client.send(
          new PutCommand({
            TableName: this.table,
            Item: {
              pk: this.runPk(run.runId),
              sk: `NODE#${node.nodeId}`,
              ...item,
              expiresAt: this.expiresAt(),
            },
          }),
        ),
      );
    }
  }

  async recordChunk(runId: string, nodeId: string, metrics: ChunkMetrics): Promise<void> {
    const sk = `CHUNK#${nodeId}#${String(metrics.chunkIndex).padStart(5, '0')}`;
    await this.send('recording chunk counters', () =>
      this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: this.runPk(runId), sk, nodeId, ...metrics, expiresAt: this.expiresAt() },
        }),
      ),
    );
  }

  async recordNodeFailure(runId: string, nodeId: string, error: RunError): Promise<void> {
    await this.send('recording node failure', () =>
      this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: this.runPk(runId), sk: `NODE#${nodeId}` },
          UpdateExpression: 'SET #status = :failed, #error = :error, expiresAt = :expiresAt',
          ExpressionAttributeNames: { '#status': 'status', '#error': 'error' },
          ExpressionAttributeValues: { ':failed': 'failed', ':error': error, ':expiresAt': this.expiresAt() },
        }),
      ),
    );
  }

  /**
   * Sums chunk counters into the node items and sets the run's final status.
   * Re-running it (a retried Finalize) recomputes the same totals.
   */
  async finishRun(
    runId: string,
    status: RunStatus,
    finishedAt: string,
    error?: RunError,
  ): Promise<NodeRun[]> {
    const nodes = await this.getNodeRuns(runId);
    const totalsByNode = await this.nodeTotals(runId);
    const finished: NodeRun[] = [];
    for (const node of nodes) {
      const { chunks, ...totals } = totalsByNode.get(node.nodeId) ?? { ...ZERO_TOTALS };
      const nodeStatus =
        node.status === 'failed' ? 'failed' : status === 'success' || chunks > 0 ? 'success' : 'pending';
      const updated: NodeRun = { ...node, ...totals, chunks, status: nodeStatus };
      await this.send('recording node totals', () =>
        this.client.send(
          new PutCommand({
            TableName: this.table,
            Item: {
              pk: this.runPk(runId),
              sk: `NODE#${node.nodeId}`,
              ...updated,
              expiresAt: this.expiresAt(),
            },
          }),
        ),
      );
      finished.push(updated);
    }
    await this.send('recording run end', () =>
      this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: this.runsPk(), sk: `RUN#${runId}` },
          UpdateExpression: error
            ? 'SET #status = :status, finishedAt = :finishedAt, #error = :error'
            : 'SET #status = :status, finishedAt = :finishedAt',
          ExpressionAttributeNames: { '#status': 'status', ...(error ? { '#error': 'error' } : {}) },
          ExpressionAttributeValues: {
            ':status': status,
            ':finishedAt': finishedAt,
            ...(error ? { ':error': error } : {}),
          },
        }),
      ),
    );
    return finished;
  }

  /** Counters per node summed over its chunks so far (what Finalize records, readable before it). */
  async nodeTotals(runId: string): Promise<Map<string, NodeTotals>> {
    const totals = new Map<string, NodeTotals>();
    for (const item of await this.queryAll(runId, 'CHUNK#')) {
      const chunk = item as unknown as ChunkMetrics & { nodeId: string };
      const sum = totals.get(chunk.nodeId) ?? { ...ZERO_TOTALS };
      totals.set(chunk.nodeId, {
        rowsIn: sum.rowsIn + chunk.rowsIn,
        rowsOut: sum.rowsOut + chunk.rowsOut,
        rowsRejected: sum.rowsRejected + chunk.rowsRejected,
        rowsFiltered: sum.rowsFiltered + chunk.rowsFiltered,
        durationMs: sum.durationMs + chunk.durationMs,
        chunks: sum.chunks + 1,
      });
    }
    return totals;
  }

  /** Every chunk's counters, per node: which chunks a node completed (a redrive or rerun skips those). */
  async getChunkMetrics(runId: string): Promise<(ChunkMetrics & { readonly nodeId: string })[]> {
    return (await this.queryAll(runId, 'CHUNK#')).map(
      ({ pk: _pk, sk: _sk, expiresAt: _expiresAt, ...rest }) => {
        return rest as unknown as ChunkMetrics & { readonly nodeId: string };
      },
    );
  }

  /** Forgets a run and its detail (a preview's run, which is nobody's history). */
  async deleteRun(runId: string): Promise<void> {
    const keys = [
      { pk: this.runsPk(), sk: `RUN#${runId}` },
      ...(await this.queryAll(runId, '')).map((item) => ({ pk: item.pk, sk: item.sk })),
    ];
    for (const key of keys) {
      await this.send('deleting run', () =>
        this.client.send(new DeleteCommand({ TableName: this.table, Key: key })),
      );
    }
  }

  async getRun(runId: string): Promise<RunRecord | undefined> {
    const result = await this.send('reading run', () =>
      this.client.send(
        new GetCommand({ TableName: this.table, Key: { pk: this.runsPk(), sk: `RUN#${runId}` } }),
      ),
    );
    return result.Item ? toRunRecord(result.Item, this.organization) : undefined;
  }

  async listRuns(limit: number): Promise<RunRecord[]> {
    const result = await this.send('listing runs', () =>
      this.client.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :run)',
          ExpressionAttributeValues: { ':pk': this.runsPk(), ':run': 'RUN#' },
          ScanIndexForward: false,
          Limit: limit,
        }),
      ),
    );
    return (result.Items ?? []).map((item) => toRunRecord(item, this.organization));
  }

  /**
   * Runs newest first, one page at a time, optionally of one pipeline and/or
   * status. Filters are applied while reading the org's runs (no index): a
   * page reads at most `LIST_SCAN_LIMIT` runs and may come back short with a
   * cursor to continue.
   */
  async listRunsPage(options: RunListOptions): Promise<Page<RunRecord>> {
    const conditions: string[] = [];
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':pk': this.runsPk(), ':run': 'RUN#' };
    if (options.pipelineId !== undefined) {
      conditions.push('#pipelineId = :pipelineId');
      names['#pipelineId'] = 'pipelineId';
      values[':pipelineId'] = options.pipelineId;
    }
    if (options.status !== undefined) {
      conditions.push('#status = :status');
      names['#status'] = 'status';
      values[':status'] = options.status;
    }
    const filtered = conditions.length > 0;
    const runs: RunRecord[] = [];
    let startKey: Record<string, unknown> | undefined = decodeCursor(options.cursor, this.runsPk(), 'RUN#');
    let scanned = 0;
    let nextKey: Record<string, unknown> | undefined;
    while (true) {
      const page = await this.send('listing runs', () =>
        this.client.send(
          new QueryCommand({
            TableName: this.table,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :run)',
            ...(filtered
              ? { FilterExpression: conditions.join(' AND '), ExpressionAttributeNames: names }
              : {}),
            ExpressionAttributeValues: values,
            ScanIndexForward: false,
            ExclusiveStartKey: startKey,
            Limit: filtered ? LIST_SCAN_PAGE : options.limit - runs.length,
          }),
        ),
      );
      scanned += page.ScannedCount ?? 0;
      const items = page.Items ?? [];
      const room = options.limit - runs.length;
      runs.push(...items.slice(0, room).map((item) => toRunRecord(item, this.organization)));
      if (items.length > room) {
        // Stopped inside the page: continue after the last run returned.
        const last = items[room - 1] as Item;
        nextKey = { pk: last.pk, sk: last.sk };
        break;
      }
      nextKey = page.LastEvaluatedKey;
      if (nextKey === undefined || runs.length >= options.limit || scanned >= LIST_SCAN_LIMIT) break;
      startKey = nextKey;
    }
    const nextCursor = encodeCursor(nextKey);
    return { items: runs, ...(nextCursor ? { nextCursor } : {}) };
  }

  /** Several runs by id in one round trip per 100; ids without a run are left out. */
  async getRunsById(runIds: readonly string[]): Promise<Map<string, RunRecord>> {
    const runs = new Map<string, RunRecord>();
    const unique = [...new Set(runIds)];
    for (let start = 0; start < unique.length; start += 100) {
      let keys: Record<string, unknown>[] = unique
        .slice(start, start + 100)
        .map((runId) => ({ pk: this.runsPk(), sk: `RUN#${runId}` }));
      while (keys.length > 0) {
        const requested = keys;
        const result = await this.send('reading runs', () =>
          this.client.send(new BatchGetCommand({ RequestItems: { [this.table]: { Keys: requested } } })),
        );
        for (const item of result.Responses?.[this.table] ?? []) {
          const run = toRunRecord(item, this.organization);
          runs.set(run.runId, run);
        }
        keys = (result.UnprocessedKeys?.[this.table]?.Keys ?? []) as Record<string, unknown>[];
      }
    }
    return runs;
  }

  async getNodeRuns(runId: string): Promise<NodeRun[]> {
    const items = await this.queryAll(runId, 'NODE#');
    return items.map(({ pk: _pk, sk: _sk, expiresAt: _expiresAt, ...rest }) => rest as unknown as NodeRun);
  }

  private async queryAll(runId: string, skPrefix: string): Promise<Item[]> {
    const items: Item[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.send('reading run detail', () =>
        this.client.send(
          new QueryCommand({
            TableName: this.table,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
            ExpressionAttributeValues: { ':pk': this.runPk(runId), ':prefix': skPrefix },
            ExclusiveStartKey: startKey,
          }),
        ),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }
}

function toRunRecord(item: Item, organization: string): RunRecord {
  const { pk: _pk, sk: _sk, ...rest } = item;
  // Records written before runs carried their organization: the key says whose they are.
  return { ...rest, organization } as unknown as RunRecord;
}
