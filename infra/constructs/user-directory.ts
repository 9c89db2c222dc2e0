/**
 * Who may use the console and the API: a Cognito user pool with one group per
 * role and an `organization` attribute that scopes every call. Users are
 * invited by an admin; nobody signs themselves up.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  AccountRecovery,
  FeaturePlan,
  Mfa,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  type UserPoolClient,
  UserPoolGroup,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';

export interface UserDirectoryProps {
  /**
   * What happens to the user pool when the stack is deleted.
   * @default RemovalPolicy.RETAIN (users and their MFA devices are hard to recreate)
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** The roles of the design, highest first; each group's precedence follows this order. */
export const ROLES = ['Admin', 'Developer', 'Viewer'] as const;

export class UserDirectory extends Construct {
  readonly userPool: UserPool;
  /** The console's public client (a browser holds no secret): SRP sign-in only. */
  readonly consoleClient: UserPoolClient;
  readonly groups: ReadonlyMap<(typeof ROLES)[number], UserPoolGroup>;

  constructor(scope: Construct, id: string, props: UserDirectoryProps = {}) {
    super(scope, id);
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

    this.consoleClient = this.userPool.addClient('ConsoleClient', {
      authFlows: { userSrp: true },
      generateSecret: false,
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      enableTokenRevocation: true,
    });
  }
}
