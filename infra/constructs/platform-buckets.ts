/**
 * The platform's buckets, private and TLS-only, each logging its requests:
 * - staging: chunks and staged loads under `runs/<runId>/`, scratch that expires;
 * - landing: raw files arrive here; S3 events go to EventBridge for triggers;
 * - data: curated outputs the loaders publish.
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type BucketProps,
  type CfnBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface PlatformBucketsProps {
  /**
   * Days a run's chunks stay in the staging bucket; runs older than this can no longer be redriven.
   * @default 7
   */
  readonly stagingRetentionDays?: number;
  /**
   * Days server access logs are kept.
   * @default 90
   */
  readonly accessLogRetentionDays?: number;
  /**
   * What happens to landing and data buckets when the stack is deleted.
   * @default RemovalPolicy.RETAIN (business data outlives the stack)
   */
  readonly dataRemovalPolicy?: RemovalPolicy;
}

export const STAGING_RUNS_PREFIX = 'runs/';

/** Settings no bucket of the platform may go without. */
const SECURE_BUCKET: BucketProps = {
  blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
  encryption: BucketEncryption.S3_MANAGED,
  enforceSSL: true,
  minimumTLSVersion: 1.2,
  objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
};

export class PlatformBuckets extends Construct {
  readonly accessLogs: Bucket;
  readonly staging: Bucket;
  readonly landing: Bucket;
  readonly data: Bucket;

  constructor(scope: Construct, id: string, props: PlatformBucketsProps = {}) {
    super(scope, id);
    const dataRemovalPolicy = props.dataRemovalPolicy ?? RemovalPolicy.RETAIN;

    this.accessLogs = new Bucket(this, 'AccessLogs', {
      ...SECURE_BUCKET,
      lifecycleRules: [{ expiration: Duration.days(props.accessLogRetentionDays ?? 90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the access-log bucket of the other buckets; logging it into itself would loop.',
    });

    this.staging = new Bucket(this, 'Staging', {
      ...SECURE_BUCKET,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'staging/',
      lifecycleRules: [
        {
          prefix: STAGING_RUNS_PREFIX,
          expiration: Duration.days(props.stagingRetentionDays ?? 7),
        },
        // A chunk upload cut off by a Lambda timeout leaves parts that are billed until aborted.
        { abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      // Kept on stack deletion like every bucket: CloudFormation cannot delete a
      // non-empty bucket, and emptying it needs a custom-resource Lambda.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.landing = new Bucket(this, 'Landing', {
      ...SECURE_BUCKET,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'landing/',
      // A trigger starts at most one run per object version, so versions must exist.
      versioned: true,
      lifecycleRules: [
        { noncurrentVersionExpiration: Duration.days(30) },
        { abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      removalPolicy: dataRemovalPolicy,
    });
    // S3 events go to EventBridge, where trigger rules match bucket and prefix. Set on the
    // resource itself: `eventBridgeEnabled` would deploy a custom-resource Lambda for it.
    (this.landing.node.defaultChild as CfnBucket).notificationConfiguration = {
      eventBridgeConfiguration: { eventBridgeEnabled: true },
    };

    this.data = new Bucket(this, 'Data', {
      ...SECURE_BUCKET,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'data/',
      // Loaders publish by overwrite-free keys; versions protect against a bad manual delete.
      versioned: true,
      lifecycleRules: [
        { noncurrentVersionExpiration: Duration.days(30) },
        { abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      removalPolicy: dataRemovalPolicy,
    });
  }
}
