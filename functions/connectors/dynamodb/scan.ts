/** Scans a segment of a table (or its first `limit` items) into an NDJSON file, page by page. */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDbConnector } from './client.ts';
import type { DynamoDbExtractConfig } from './config.ts';
import { dynamoDbError } from './errors.ts';
import { toJsonValue } from './json-values.ts';

/** Returns the number of items written. */
export async function scanToNdjson(
  config: DynamoDbExtractConfig,
  chunk: { segment: number; totalSegments: number },
  path: string,
  limit?: number,
): Promise<number> {
  const { documents } = dynamoDbConnector();
  const out = createWriteStream(path);
  let items = 0;
  let startKey: Record<string, unknown> | undefined;
  try {
    do {
      const page = await documents
        .send(
          new ScanCommand({
            TableName: config.table,
            Segment: chunk.segment,
            TotalSegments: chunk.totalSegments,
            Limit: Math.min(config.page_size, limit ?? config.page_size),
            ConsistentRead: config.consistent_read,
            ExclusiveStartKey: startKey,
          }),
        )
        .catch((error: unknown) => {
          throw dynamoDbError(error, `scanning segment ${chunk.segment} of table ${config.table}`);
        });
      for (const item of page.Items ?? []) {
        if (!out.write(`${JSON.stringify(toJsonValue(item))}\n`)) await once(out, 'drain');
        items++;
      }
      startKey = limit !== undefined && items >= limit ? undefined : page.LastEvaluatedKey;
    } while (startKey !== undefined);
  } finally {
    out.end();
    await once(out, 'close');
  }
  return items;
}
