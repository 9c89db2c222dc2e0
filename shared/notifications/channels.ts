/** Where notifications go; each target type of `notifications.on_*` has one channel. */
import type { RunNotification } from './message.ts';

export interface NotificationChannels {
  /** An email address: through the notifications SNS topic in the cloud, the outbox file locally. */
  email(address: string, message: RunNotification): Promise<void>;
  /** A topic of the user's: published to in the cloud, the outbox file locally. */
  sns(topicArn: string, message: RunNotification): Promise<void>;
  /** A Slack-style webhook whose URL is the secret of an `http` connection of the run's organization. */
  webhook(connection: string, message: RunNotification): Promise<void>;
}
