/**
 * The embedded default: S3 and DynamoDB emulators started in-process on
 * 127.0.0.1, their state kept under the data dir so runs survive restarts.
 */
import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import dynalite from 'dynalite';
import S3rver from 's3rver';
import { createS3Client } from '../aws/clients.ts';
import type { HandlerEnv } from '../aws/env.ts';
import { OUTBOX_FILE_ENV } from '../notifications/outbox.ts';
import { LOCAL_SECRETS_DIR_ENV } from '../secrets/secret-store.ts';
import { metadataTableDefinition } from '../store/table-definition.ts';
import { closeIteratorsWhenDynaliteStreamsEnd } from './dynalite-iterators.ts';

export const LOCAL_STAGING_BUCKET = 'etl-staging';
export const LOCAL_METADATA_TABLE = 'etl-metadata';
const LOCAL_REGION = 'us-east-1';

export interface LocalServices {
  readonly dataDir: string;
  /** The environment every handler reads (also applied to process.env for in-process handlers). */
  readonly env: HandlerEnv;
  readonly s3: S3Client;
  /**
   * Calls `listener` with each S3 notification (`{ Records: [...] }`) the local S3
   * emits on PUT, POST, COPY, multipart completion and DELETE; returns the unsubscribe.
   */
  onS3Notification(listener: (notification: unknown) => void): () => void;
  stop(): Promise<void>;
}

async function startDynalite(path: string): Promise<{ endpoint: string; close: () => Promise<void> }> {
  closeIteratorsWhenDynaliteStreamsEnd();
  const server = dynalite({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => done());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => new Promise((done) => server.close(() => done())),
  };
}

export async function ensureBucket(s3: S3Client, bucket: string): Promise<void> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
  } catch {
    try {
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    } catch (error) {
      // Runs started at once all find the bucket missing and all create it: the one that loses finds it made.
      const name = (error as { name?: string }).name;
      if (name !== 'BucketAlreadyExists' && name !== 'BucketAlreadyOwnedByYou') throw error;
    }
  }
}

async function ensureTable(client: DynamoDBClient, table: string): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: table }));
  } catch (error) {
    if ((error as { name?: string }).name !== 'ResourceNotFoundException') throw error;
    await client.send(new CreateTableCommand(metadataTableDefinition(table)));
  }
}

/** Points in-process handlers at the emulators, as a Lambda's environment would. */
function applyToProcessEnv(env: HandlerEnv): void {
  process.env.ETL_STAGING_BUCKET = env.stagingBucket;
  process.env.ETL_METADATA_TABLE = env.metadataTable;
  process.env.ETL_ORGANIZATION = env.organization;
  process.env.ETL_S3_ENDPOINT = env.s3Endpoint;
  process.env.ETL_DYNAMODB_ENDPOINT = env.dynamoDbEndpoint;
  process.env.AWS_REGION = env.region;
}

export async function startLocalServices(dataDir: string): Promise<LocalServices> {
  const root = resolve(dataDir);
  await mkdir(join(root, 's3'), { recursive: true });
  await mkdir(join(root, 'dynamodb'), { recursive: true });

  const s3rver = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: join(root, 's3') });
  const { port } = await s3rver.run();
  let dynamo: Awaited<ReturnType<typeof startDynalite>>;
  try {
    dynamo = await startDynalite(join(root, 'dynamodb'));
  } catch (error) {
    await s3rver.close();
    throw new Error(
      `cannot open the local metadata store in ${join(root, 'dynamodb')}: is another etl command using this data dir? (${String(error)})`,
    );
  }

  const env: HandlerEnv = {
    stagingBucket: LOCAL_STAGING_BUCKET,
    metadataTable: LOCAL_METADATA_TABLE,
    organization: 'local',
    region: LOCAL_REGION,
    s3Endpoint: `http://127.0.0.1:${port}`,
    dynamoDbEndpoint: dynamo.endpoint,
  };
  const s3 = createS3Client(env);
  const dynamoClient = new DynamoDBClient({
    region: LOCAL_REGION,
    endpoint: env.dynamoDbEndpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await ensureBucket(s3, LOCAL_STAGING_BUCKET);
  await ensureTable(dynamoClient, LOCAL_METADATA_TABLE);
  dynamoClient.destroy();
  applyToProcessEnv(env);
  // In-process handlers find the local secret store here (in the cloud: Secrets Manager).
  process.env[LOCAL_SECRETS_DIR_ENV] = join(root, 'secrets');
  // Email and SNS notifications land here (in the cloud: the notifications topic).
  process.env[OUTBOX_FILE_ENV] = join(root, 'outbox.jsonl');

  return {
    dataDir: root,
    env,
    s3,
    onS3Notification(listener) {
      s3rver.on('event', listener);
      return () => s3rver.off('event', listener);
    },
    async stop() {
      s3.destroy();
      await Promise.all([s3rver.close(), dynamo.close()]);
    },
  };
}

/**
 * In the cloud, destination buckets are provisioned with the platform; the
 * local S3 starts empty, so create the buckets that loader nodes write to.
 */
export async function ensureLoaderBuckets(
  s3: S3Client,
  nodes: readonly { type: string; config: Readonly<Record<string, unknown>> }[],
): Promise<string[]> {
  const buckets = [
    ...new Set(
      nodes
        .filter((node) => node.type === 'loader' && typeof node.config.bucket === 'string')
        .map((node) => node.config.bucket as string),
    ),
  ];
  for (const bucket of buckets) await ensureBucket(s3, bucket);
  return buckets;
}
