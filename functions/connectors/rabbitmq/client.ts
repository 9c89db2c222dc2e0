/** A channel to the broker of an `amqp` connection, closed by the caller. */
import amqp, { type Channel, type ChannelModel } from 'amqplib';
import { resolveConnection } from '../../../shared/connections/resolve.ts';
import { redactSecret } from '../../../shared/secrets/redact.ts';
import { amqpError } from './errors.ts';

export interface AmqpSession {
  readonly channel: Channel;
  /** `amqp://host:port/vhost`, never the credentials, for messages. */
  readonly where: string;
  /** The broker's product and version, as it announces them. */
  readonly server: string;
  close(): Promise<void>;
}

export async function openAmqp(connectionName: string): Promise<AmqpSession> {
  const { settings, secret } = await resolveConnection(connectionName, 'amqp');
  const where = `${settings.ssl ? 'amqps' : 'amqp'}://${settings.host}:${settings.port}${settings.vhost === '/' ? '/' : `/${settings.vhost}`}`;
  let model: ChannelModel;
  try {
    model = await amqp.connect(
      {
        protocol: settings.ssl ? 'amqps' : 'amqp',
        hostname: settings.host,
        port: settings.port,
        vhost: settings.vhost,
        username: settings.user,
        password: secret ?? '',
      },
      { timeout: settings.connect_timeout_seconds * 1000 },
    );
  } catch (error) {
    const failure = amqpError(error, `connecting to ${where}`);
    failure.message = redactSecret(failure.message, secret);
    throw failure;
  }
  const channel = await model.createChannel();
  // A closed channel (e.g. a missing queue) must not crash the process through an unhandled 'error' event.
  channel.on('error', () => undefined);
  model.on('error', () => undefined);
  const properties = model.connection.serverProperties as Record<string, unknown>;
  return {
    channel,
    where,
    server: `${String(properties.product ?? 'AMQP broker')} ${String(properties.version ?? '')}`.trim(),
    async close() {
      await channel.close().catch(() => undefined);
      await model.close().catch(() => undefined);
    },
  };
}
