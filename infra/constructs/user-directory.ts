/**
 * Who may use the console and the API: a Cognito user pool with one group per
 * role and an `organization` attribute that scopes every call, its hosted
 * sign-in domain, and the console's app client (authorization code with
 * PKCE, back to the console's URL only). Users are invited by an admin;
 * nobody signs themselves up.
 */
import { Aws, Duration, Fn, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import {
  AccountRecovery,
  FeaturePlan,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolDomain,
  UserPoolGroup,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';

export interface UserDirectoryProps {
  /**
   * The console's URL as the browser shows it after sign-in (CloudFront's
   * origin and `/`): the console client's only callback and sign-out URL.
   * Cognito compares these exactly, so the console is told the same value
   * (`consoleSignIn().redirectUri`).
   */
  readonly consoleUrl: string;
  /**
   * Prefix of the hosted sign-in domain, `https://<prefix>.auth.<region>.amazoncognito.com`:
   * lower-case letters, digits and `-`, unique in the region, without `aws`,
   * `amazon` or `cognito`.
   * @default `<stack name in lower case>-<account id>`
   */
  readonly domainPrefix?: string;
  /**
   * What happens to the user pool when the stack is deleted.
   * @default RemovalPolicy.RETAIN (users and their MFA devices are hard to recreate)
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** What the console's `config.json` says about sign-in (web/src/api/config.ts `CognitoConfig`). */
export interface ConsoleSignIn {
  /** `https://<prefix>.auth.<region>.amazoncognito.com` */
  readonly domain: string;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly scopes: readonly string[];
}

/** What the console asks for: who the user is, no access to other AWS APIs. */
export const CONSOLE_SCOPES = [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE] as const;

/** Words Cognito refuses in a domain prefix. */
const RESERVED_DOMAIN_WORDS = ['aws', 'amazon', 'cognito'] as const;

/**
 * A stack name may hold capitals and words Cognito reserves: keep what a
 * prefix allows, and the account id makes it unique among deployments.
 */
export function defaultDomainPrefix(stackName: string): string {
  let base = stackName.toLowerCase().replace(/[^a-z0-9-]+/g, '-');
  for (const word of RESERVED_DOMAIN_WORDS) base = base.replaceAll(word, '');
  // 63 characters at most: room for `-` and the 12-digit account id.
  base = base.replace(/-+/g, '-').slice(0, 50).replace(/^-|-$/g, '');
  return Fn.join('-', [base === '' ? 'etl' : base, Aws.ACCOUNT_ID]);
}

function checkDomainPrefix(prefix: string): void {
  if (Token.isUnresolved(prefix)) return;
  const reserved = RESERVED_DOMAIN_WORDS.find((word) => prefix.includes(word));
  if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(prefix) || reserved !== undefined) {
    throw new Error(
      `Cognito domain prefix "${prefix}" must be 1-63 lower-case letters, digits or inner "-", without aws, amazon or cognito`,
    );
  }
}

/** The roles of the design, highest first; each group's precedence follows this order. */
export const ROLES = ['Admin', 'Developer', 'Viewer'] as const;

export class UserDirectory extends Construct {
  readonly userPool: UserPool;
  /** The hosted sign-in pages the console redirects to. */
  readonly domain: UserPoolDomain;
  /** The console's public client (a browser holds no secret): hosted UI, authorization code with PKCE. */
  readonly consoleClient: UserPoolClient;
  private readonly consoleUrl: string;
  readonly groups: ReadonlyMap<(typeof ROLES)[number], UserPoolGroup>;

  constructor(scope: Construct, id: string, props: UserDirectoryProps) {
    super(scope, id);
    this.consoleUrl = props.consoleUrl;
    this.userPool = new UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      standardAttributes: { email: { required: true, mutable: true } },
      // Immutable: a user cannot move themselves, or be moved, into another tenant's data.
      customAttributes: { organization: new StringAttribute({ minLen: 1, maxLen: 64, mutable: false }) },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // Threat protection blocks sign-ins with leaked or risky credentials: cents per user a month.
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });

    const groups = new Map<(typeof ROLES)[number], UserPoolGroup>();
    ROLES.forEach((role, precedence) => {
      groups.set(
        role,
        new UserPoolGroup(this, role, {
          userPool: this.userPool,
          groupName: role,
          precedence,
          description: `ETL platform ${role.toLowerCase()}s`,
        }),
      );
    });
    this.groups = groups;

    const domainPrefix = props.domainPrefix ?? defaultDomainPrefix(Stack.of(this).stackName);
    checkDomainPrefix(domainPrefix);
    this.domain = this.userPool.addDomain('Domain', { cognitoDomain: { domainPrefix } });

    this.consoleClient = this.userPool.addClient('ConsoleClient', {
      // The hosted UI signs in with SRP itself; the console only ever sees the code it returns.
      authFlows: { userSrp: true },
      generateSecret: false,
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      // The code grant only: the implicit grant would put tokens in the URL. A public client
      // without a secret proves the code is its own with PKCE (S256), which the console always sends.
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: [...CONSOLE_SCOPES],
        callbackUrls: [props.consoleUrl],
        logoutUrls: [props.consoleUrl],
      },
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      enableTokenRevocation: true,
    });
  }

  /** The sign-in settings of the console's runtime `config.json`. */
  consoleSignIn(): ConsoleSignIn {
    return {
      domain: this.domain.baseUrl(),
      clientId: this.consoleClient.userPoolClientId,
      redirectUri: this.consoleUrl,
      scopes: CONSOLE_SCOPES.map((scope) => scope.scopeName),
    };
  }
}
