/** `rabbitmq`: drains a queue; a message leaves the queue only after a run that read it succeeded. */
import { DEFAULT_LAMBDA_SIZING, defineModule } from '../../../shared/modules/types.ts';
import { RabbitMqConfigSchema } from './config.ts';

export const rabbitMqModule = defineModule({
  name: 'rabbitmq',
  kind: 'extractor',
  title: 'RabbitMQ queue',
  description:
    'Drains up to `max_messages` from a queue (or until it stays empty `idle_ms`), JSON bodies to columns; messages are acknowledged only once a run that read them has succeeded (by the next run), so a failed run loses none.',
  configSchema: RabbitMqConfigSchema,
  chunkLocal: true,
  lambda: DEFAULT_LAMBDA_SIZING,
});
