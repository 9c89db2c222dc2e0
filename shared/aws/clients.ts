/**
 * SDK clients built from the handler environment. In the cloud they use the
 * default credential chain; locally they point at the emulators.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConfigError } from '../errors.ts';
import type { HandlerEnv } from './env.ts';

/** s3rver accepts only this key pair; any value works for dynalite. */
const EMULATOR_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/**
 * s3rver stores each object as a file named after its key, so a key with a
 * `..` segment would be written outside the data dir (checked: it is). Keys
 * are refused before any request; in the cloud such a key is harmless.
 */
function refuseKeysThatLeaveTheStore(client: S3Client): S3Client {
  client.middlewareStack.add(
    (next) => async (args) => {
      const { Key, CopySource } = args.input as { Key?: unknown; CopySource?: unknown };
      for (const key of [Key, CopySource]) {
        if (typeof key !== 'string') continue;
        const segments = key.split(/[\\/]/);
        if (
          key.includes('\0') ||
          key.startsWith('/') ||
          segments.some((part) => part === '..' || part === '.')
        ) {
          throw new ConfigError(
            `S3 key ${JSON.stringify(key)} has a "." or ".." segment, a leading "/" or a NUL byte: the local S3 keeps keys as files and refuses it`,
          );
        }
      }
      return next(args);
    },
    { step: 'initialize', name: 'refuseKeysThatLeaveTheStore' },
  );
  return client;
}

export function createS3Client(env: Pick<HandlerEnv, 'region' | 's3Endpoint'>): S3Client {
  if (env.s3Endpoint === undefined) return new S3Client({ region: env.region });
  return refuseKeysThatLeaveTheStore(
    new S3Client({
      region: env.region,
      endpoint: env.s3Endpoint,
      // s3rver serves buckets by path, not by virtual host.
      forcePathStyle: true,
      credentials: EMULATOR_CREDENTIALS,
      // s3rver stores aws-chunked bodies (the SDK's default for streamed uploads
      // with checksums) verbatim, framing included: send plain bodies instead.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    }),
  );
}

/** The low-level DynamoDB client: the emulator's endpoint locally, the default chain in the cloud. */
export function createDynamoDbServiceClient(
  env: Pick<HandlerEnv, 'region' | 'dynamoDbEndpoint'>,
): DynamoDBClient {
  return env.dynamoDbEndpoint === undefined
    ? new DynamoDBClient({ region: env.region })
    : new DynamoDBClient({
        region: env.region,
        endpoint: env.dynamoDbEndpoint,
        credentials: EMULATOR_CREDENTIALS,
      });
}

export function createDynamoDbClient(
  env: Pick<HandlerEnv, 'region' | 'dynamoDbEndpoint'>,
): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(createDynamoDbServiceClient(env), {
    marshallOptions: { removeUndefinedValues: true },
  });
}
