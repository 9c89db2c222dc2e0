/**
 * `POST /connections/{name}/test`: what `etl connections test` does, for the
 * caller's organization: a database session asked its version, or one
 * request to an http connection's base URL through the SSRF guard.
 */
import { resolveHttpConnection } from '../../functions/connectors/http-common/connection-auth.ts';
import { probeHttpConnection } from '../../functions/connectors/http-common/probe.ts';
import { mysqlDialect } from '../../functions/connectors/mysql/dialect.ts';
import { postgresDialect } from '../../functions/connectors/postgres/dialect.ts';
import { CONNECTION_DEFAULTS, type ConnectionRecord } from '../../shared/connections/connection.ts';
import { errorMessage } from '../../shared/errors.ts';
import { withRunOrganization } from '../../shared/lambda/run-organization.ts';

/** Types tested by opening a session and asking the server its version. */
const SQL_DIALECTS = { postgres: postgresDialect, mysql: mysqlDialect } as const;

export interface ConnectionTestResult {
  readonly ok: boolean;
  readonly message: string;
}

export async function testConnection(
  organization: string,
  record: ConnectionRecord,
): Promise<ConnectionTestResult> {
  const startedAt = performance.now();
  const elapsed = () => `${Math.round(performance.now() - startedAt)} ms`;
  try {
    // Connection lookups follow the run organization in context: this one's.
    return await withRunOrganization(organization, async () => {
      if (record.type === 'http') {
        const result = await probeHttpConnection(await resolveHttpConnection(record.name), {
          timeoutSeconds: CONNECTION_DEFAULTS.connectTimeoutSeconds,
        });
        return { ok: result.ok, message: `${result.message} (${elapsed()})` };
      }
      const dialect = SQL_DIALECTS[record.type as keyof typeof SQL_DIALECTS];
      if (dialect === undefined) {
        return { ok: false, message: `testing ${record.type} connections is not supported yet` };
      }
      const session = await dialect.open(record.name);
      try {
        const { rows } = await session.query('SELECT version()');
        return { ok: true, message: `connected: ${String(rows[0]?.[0] ?? 'ok')} (${elapsed()})` };
      } finally {
        await session.close();
      }
    });
  } catch (error) {
    // Connector errors redact the secret before they reach a message.
    return { ok: false, message: errorMessage(error) };
  }
}
