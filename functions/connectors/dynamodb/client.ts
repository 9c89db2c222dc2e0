/**
 * DynamoDB I/O of the connector: the same client settings as the control
 * plane (emulator endpoint locally), the key schema of a user's table.
 */
import {
  type AttributeDefinition,
  DescribeTableCommand,
  type DynamoDBClient,
  type KeySchemaElement,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoDbServiceClient } from '../../../shared/aws/clients.ts';
import { readHandlerEnv } from '../../../shared/aws/env.ts';
import { dynamoDbError, metadataTableRefused } from './errors.ts';

export interface TableKey {
  readonly name: string;
  /** `S`, `N` or `B`. */
  readonly type: string;
  readonly role: 'HASH' | 'RANGE';
}

export interface DynamoDbConnector {
  readonly client: DynamoDBClient;
  readonly documents: DynamoDBDocumentClient;
  /** The table's key attributes, partition key first; also refuses the platform's own table. */
  tableKeys(table: string): Promise<TableKey[]>;
}

let cached: { key: string; connector: DynamoDbConnector } | undefined;

export function dynamoDbConnector(): DynamoDbConnector {
  const env = readHandlerEnv();
  const cacheKey = JSON.stringify(env);
  if (cached?.key === cacheKey) return cached.connector;
  const client = createDynamoDbServiceClient(env);
  // Numbers stay NumberValue (exact text), never JS doubles that would round 64-bit ids.
  const documents = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
    unmarshallOptions: { wrapNumbers: true },
  });
  const connector: DynamoDbConnector = {
    client,
    documents,
    async tableKeys(table) {
      if (table === env.metadataTable) throw metadataTableRefused(table);
      const described = await client
        .send(new DescribeTableCommand({ TableName: table }))
        .catch((error: unknown) => {
          throw dynamoDbError(error, `describing table ${table}`);
        });
      const schema: KeySchemaElement[] = described.Table?.KeySchema ?? [];
      const types: AttributeDefinition[] = described.Table?.AttributeDefinitions ?? [];
      return schema
        .map((element) => ({
          name: element.AttributeName ?? '',
          role: element.KeyType === 'RANGE' ? ('RANGE' as const) : ('HASH' as const),
          type: types.find((type) => type.AttributeName === element.AttributeName)?.AttributeType ?? 'S',
        }))
        .sort((a, b) => (a.role === b.role ? 0 : a.role === 'HASH' ? -1 : 1));
    },
  };
  cached = { key: cacheKey, connector };
  return connector;
}
