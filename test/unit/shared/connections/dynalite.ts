/** An in-process DynamoDB (dynalite) with the metadata table, for store tests. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { createDynamoDbClient } from '../../../../shared/aws/clients.ts';
import { metadataTableDefinition } from '../../../../shared/store/table-definition.ts';

export const TABLE = 'etl-metadata-test';

export interface LocalTable {
  readonly client: DynamoDBDocumentClient;
  close(): Promise<void>;
}

export async function startLocalTable(): Promise<LocalTable> {
  const server: Server = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  const client = createDynamoDbClient({ region: 'us-east-1', dynamoDbEndpoint: `http://127.0.0.1:${port}` });
  await client.send(new CreateTableCommand(metadataTableDefinition(TABLE)));
  return {
    client,
    async close() {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
