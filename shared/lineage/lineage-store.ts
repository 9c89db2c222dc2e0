/**
 * Lineage items in the single metadata table, one per node, beside the run's
 * node items (read with one query; `NODE#` and `CHUNK#` queries never see them):
 *
 * | item    | pk                     | sk                 |
 * |---------|------------------------|--------------------|
 * | lineage | ORG#<org>#RUN#<runId>  | LINEAGE#<nodeId>   |
 */
import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { runDetailExpiry, runDetailRetentionDays } from '../store/retention.ts';
import { callTable } from '../store/table-call.ts';
import type { NodeLineage } from './run-lineage.ts';
import { LINEAGE_KINDS } from './types.ts';

const NodeLineageSchema = z.object({
  nodeId: z.string(),
  module: z.string(),
  inputs: z.array(z.string()),
  columns: z.array(
    z.object({
      output: z.string(),
      inputs: z.array(z.object({ input: z.int().min(0), column: z.string() })),
      kind: z.enum(LINEAGE_KINDS),
    }),
  ),
  problem: z.string().optional(),
});

export class LineageStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly organization: string,
    /** Days the lineage is kept, like the run's other detail (shared/store/retention.ts). */
    private readonly retentionDays: number = runDetailRetentionDays(),
  ) {}

  private runPk(runId: string): string {
    return `ORG#${this.organization}#RUN#${runId}`;
  }

  private send<T>(what: string, call: () => Promise<T>): Promise<T> {
    return callTable(this.table, what, call);
  }

  /** Writes every node's lineage; a repeat overwrites the same items. */
  async put(runId: string, nodes: readonly NodeLineage[]): Promise<void> {
    for (const node of nodes) {
      await this.send('recording lineage', () =>
        this.client.send(
          new PutCommand({
            TableName: this.table,
            Item: {
              pk: this.runPk(runId),
              sk: `LINEAGE#${node.nodeId}`,
              ...node,
              expiresAt: runDetailExpiry(this.retentionDays),
            },
          }),
        ),
      );
    }
  }

  /** The run's lineage, every node; empty when none was recorded. */
  async list(runId: string): Promise<NodeLineage[]> {
    const nodes: NodeLineage[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.send('reading lineage', () =>
        this.client.send(
          new QueryCommand({
            TableName: this.table,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
            ExpressionAttributeValues: { ':pk': this.runPk(runId), ':prefix': 'LINEAGE#' },
            ExclusiveStartKey: startKey,
          }),
        ),
      );
      for (const item of page.Items ?? []) nodes.push(NodeLineageSchema.parse(item));
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return nodes;
  }
}
