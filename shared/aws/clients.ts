/**
 * SDK clients built from the handler environment. In the cloud they use the
 * default credential chain; locally they point at the emulators.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { HandlerEnv } from './env.ts';

/** s3rver accepts only this key pair; any value works for dynalite. */
const EMULATOR_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export function createS3Client(env: Pick<HandlerEnv, 'region' | 's3Endpoint'>): S3Client {
  if (env.s3Endpoint === undefined) return new S3Client({ region: env.region });
  return new S3Client({
    region: env.region,
    endpoint: env.s3Endpoint,
    // s3rver serves buckets by path, not by virtual host.
    forcePathStyle: true,
    credentials: EMULATOR_CREDENTIALS,
    // s3rver stores aws-chunked bodies (the SDK's default for streamed uploads
    // with checksums) verbatim, framing included: send plain bodies instead.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

export function createDynamoDbClient(
  env: Pick<HandlerEnv, 'region' | 'dynamoDbEndpoint'>,
): DynamoDBDocumentClient {
  const client =
    env.dynamoDbEndpoint === undefined
      ? new DynamoDBClient({ region: env.region })
      : new DynamoDBClient({
          region: env.region,
          endpoint: env.dynamoDbEndpoint,
          credentials: EMULATOR_CREDENTIALS,
        });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}
