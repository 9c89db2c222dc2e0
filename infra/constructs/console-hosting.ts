/**
 * The console's hosting: a private bucket read by CloudFront through origin
 * access control, security headers on every response, single-page-app
 * routing, and the built `web/` deployed when a build folder is given, with
 * the deployment's runtime `config.json` (the API's URL, the sign-in
 * settings) written beside it. The site is deployed in a second step
 * (`deploySite`): its config names the API and the sign-in client, which
 * both need the distribution's URL first.
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import {
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type IBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { acknowledgeWildcardResources } from '../grants/nag-acknowledgements.ts';

export interface ConsoleHostingProps {
  /** Bucket receiving the site bucket's server access logs. */
  readonly accessLogs: Bucket;
  /**
   * Folder of the built console (`web/dist`) to upload.
   * @default none: the site bucket starts empty
   */
  readonly siteDir?: string;
  /**
   * Edge locations serving the console.
   * @default PriceClass.PRICE_CLASS_100 (North America and Europe: the cheapest)
   */
  readonly priceClass?: PriceClass;
}

/**
 * The console's runtime configuration (web/src/api/config.ts `ConsoleConfig`),
 * deployed as `config.json` over the build's own, which points at `etl serve`.
 * Values may be deploy-time tokens such as the API's URL.
 */
export interface ConsoleRuntimeConfig {
  readonly apiBase: string;
  readonly cognito?: {
    readonly domain: string;
    readonly clientId: string;
    readonly redirectUri?: string;
    readonly scopes?: readonly string[];
  };
}

/**
 * The console talks only to its own origin, API Gateway (`*.amazonaws.com`)
 * and Cognito's token endpoint (`*.amazoncognito.com`); nothing may frame it.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "connect-src 'self' https://*.amazonaws.com https://*.amazoncognito.com",
  "img-src 'self' data:",
  "style-src 'self' 'unsafe-inline'",
  "object-src 'none'",
  "base-uri 'self'",
  "frame-ancestors 'none'",
].join('; ');

export class ConsoleHosting extends Construct {
  readonly siteBucket: Bucket;
  /** CloudFront standard logs need ACLs, which the other buckets disable. */
  readonly cdnLogs: Bucket;
  readonly distribution: Distribution;
  /** The console's address: CloudFront's default domain, with the `/` the app is served at. */
  readonly url: string;
  private readonly siteDir: string | undefined;
  private siteDeployment: BucketDeployment | undefined;
  private deployedConfig: ConsoleRuntimeConfig | undefined;

  constructor(scope: Construct, id: string, props: ConsoleHostingProps) {
    super(scope, id);
    this.siteDir = props.siteDir;
    this.siteBucket = new Bucket(this, 'Site', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'console/',
      // Kept like every bucket: CloudFormation cannot delete a non-empty one.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.cdnLogs = new Bucket(this, 'CdnLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'cdn-logs/',
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'ETL console security headers',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: CONTENT_SECURITY_POLICY, override: true },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365),
          includeSubdomains: true,
          preload: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: {
          referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
          override: true,
        },
        xssProtection: { protection: true, modeBlock: true, override: true },
      },
    });

    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'ETL platform console',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.siteBucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: headers,
      },
      // Client-side routes (/pipelines/42) exist only in the app: serve it for them.
      errorResponses: [403, 404].map((httpStatus) => ({
        httpStatus,
        responseHttpStatus: 200,
        responsePagePath: '/index.html',
        ttl: Duration.minutes(5),
      })),
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: props.priceClass ?? PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: this.cdnLogs,
      logFilePrefix: 'console/',
    });

    Validations.of(this.distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR4',
        reason:
          'The console is served on the default *.cloudfront.net certificate, whose TLS policy CloudFront fixes; a custom domain with its own certificate allows TLSv1.2_2021.',
      },
      {
        id: 'AwsSolutions-CFR1',
        reason: 'Data teams sign in from anywhere; Cognito, not geography, decides who gets in.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          'The distribution serves static files only and holds no data; a WAF web ACL (from about 5 USD a month, created in us-east-1) belongs in front of the REST API.',
      },
    );

    this.url = `https://${this.distribution.distributionDomainName}/`;
  }

  /**
   * Uploads the build (when a build folder was given) with `config` as its
   * `config.json`, and refreshes CloudFront's copies. Call it once.
   */
  deploySite(config: ConsoleRuntimeConfig): void {
    if (this.siteDir === undefined) return;
    if (this.siteDeployment !== undefined) throw new Error(`${this.node.path}: the site is deployed once`);
    const deployment = new BucketDeployment(this, 'Deploy', {
      // Later sources win: the deployment's config.json replaces the build's local one.
      sources: [Source.asset(this.siteDir), Source.jsonData('config.json', config)],
      destinationBucket: this.siteBucket,
      distribution: this.distribution,
      distributionPaths: ['/*'],
    });
    acknowledgeDeploymentHandler(deployment, this.siteBucket);
    this.siteDeployment = deployment;
    this.deployedConfig = config;
  }

  /** What the deployed `config.json` holds (tokens until deployment). */
  get runtimeConfig(): ConsoleRuntimeConfig | undefined {
    return this.deployedConfig;
  }

  /** Uploads the build and `config.json`: absent until `deploySite`, or without a build folder. */
  get deployment(): BucketDeployment | undefined {
    return this.siteDeployment;
  }
}

/**
 * BucketDeployment's handler is a singleton of aws-cdk-lib that runs only
 * while CloudFormation deploys: its runtime, managed policy and grants are
 * the library's, scoped to the asset bucket and the bucket it writes.
 */
export function acknowledgeDeploymentHandler(deployment: BucketDeployment, site: IBucket): void {
  const handler = deployment.handlerRole.node.scope;
  if (handler === undefined) return;
  const libraryGrant =
    'Granted by aws-cdk-lib BucketDeployment to copy deployment-time files (the built console, the function-ARN map) from the CDK asset bucket into their bucket.';
  Validations.of(handler).acknowledge(
    {
      id: 'AwsSolutions-L1',
      reason:
        'aws-cdk-lib picks and updates the runtime of its BucketDeployment handler, which runs only during deployments.',
    },
    {
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason:
        'aws-cdk-lib attaches the basic execution role to its deployment-time handler; it writes only its own logs.',
    },
    ...['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*'].map((action) => ({
      id: `AwsSolutions-IAM5[Action::${action}]`,
      reason: libraryGrant,
    })),
    {
      id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]',
      reason: `${libraryGrant} (default bootstrap qualifier).`,
    },
    {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'aws-cdk-lib grants CloudFront invalidation on * to refresh the console after an upload.',
    },
  );
  acknowledgeWildcardResources(handler, [site.arnForObjects('*')], libraryGrant);
}
