/**
 * One environment for every scenario of a suite: the local runtime's
 * emulators with fault proxies in front (the handlers' SDK clients go
 * through them, the test's own reads do not), a PostgreSQL schema and a
 * MariaDB database each reached through a TCP fault proxy, the real data
 * uploaded, and a LocalExecutionService to start, redrive and rerun runs.
 */
import type http from 'node:http';
import { createDynamoDbClient } from '../../shared/aws/clients.ts';
import { LocalExecutionService } from '../../shared/executions/local-execution-service.ts';
import { RunStore } from '../../shared/store/run-store.ts';
import { putLocalFile, startTestEnvironment, type TestEnvironment } from '../integration/harness.ts';
import {
  addConnection,
  MARIADB,
  type MariaDbFixture,
  mariaDbFixture,
  POSTGRES,
  type PostgresFixture,
  postgresFixture,
  uniqueName,
} from '../integration/sql-connectors-fixtures.ts';
import { type HttpFaultProxy, type ProxyDecision, startHttpFaultProxy } from './http-fault-proxy.ts';
import { SOURCE_BUCKET, sourceFile, sourceKey } from './pipelines.ts';
import { PIPELINES } from './scenarios.ts';
import type { SeededRandom } from './seeded-random.ts';
import { startTcpFaultProxy, type TcpFaultProxy } from './tcp-fault-proxy.ts';

/** Tenant of every fault run; SQL connections are registered under it. */
export const FAULT_ORGANIZATION = 'local';

/** What the network proxies inject while a run's Tasks execute; undefined: nothing. */
export interface NetworkFaults {
  readonly random: SeededRandom;
  readonly s3?: { readonly rate: number; readonly dropShare: number };
  readonly dynamoDbRate?: number;
  /** Whether a run's Task is executing (faults hit only the calls of the run). */
  readonly active: () => boolean;
}

export interface FaultEnvironment {
  readonly test: TestEnvironment;
  readonly service: LocalExecutionService;
  /** The run store read straight from the emulator, past the fault proxy (the oracle's view). */
  readonly store: RunStore;
  readonly s3Proxy: HttpFaultProxy;
  readonly dynamoDbProxy: HttpFaultProxy;
  readonly postgres: {
    readonly fixture: PostgresFixture;
    readonly connection: string;
    readonly proxy: TcpFaultProxy;
  };
  readonly mariadb: {
    readonly fixture: MariaDbFixture;
    readonly connection: string;
    readonly proxy: TcpFaultProxy;
  };
  setNetworkFaults(faults: NetworkFaults | undefined): void;
  close(): Promise<void>;
}

const SLOW_DOWN = `<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message><RequestId>fault</RequestId></Error>`;
const FORWARD: ProxyDecision = { kind: 'forward' };

function dynamoDbThrottle(random: SeededRandom): ProxyDecision {
  const body = random.chance(0.5)
    ? {
        __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
        message: 'The level of configured provisioned throughput for the table was exceeded.',
      }
    : {
        __type: 'com.amazon.coral.availability#ThrottlingException',
        message: 'Rate of requests exceeds the allowed throughput.',
      };
  return {
    kind: 'answer',
    status: 400,
    contentType: 'application/x-amz-json-1.0',
    body: JSON.stringify(body),
  };
}

export async function startFaultEnvironment(): Promise<FaultEnvironment> {
  const test = await startTestEnvironment();
  const opened: { close(): Promise<void> }[] = [test];
  try {
    let faults: NetworkFaults | undefined;
    const s3Proxy = await startHttpFaultProxy(test.services.env.s3Endpoint ?? '', () => {
      const s3 = faults?.s3;
      if (faults === undefined || s3 === undefined || !faults.active() || !faults.random.chance(s3.rate))
        return FORWARD;
      if (!faults.random.chance(s3.dropShare))
        return { kind: 'answer', status: 503, contentType: 'application/xml', body: SLOW_DOWN };
      return { kind: faults.random.chance(0.5) ? 'drop-request' : 'drop-response' };
    });
    opened.unshift(s3Proxy);
    const dynamoDbProxy = await startHttpFaultProxy(
      test.services.env.dynamoDbEndpoint ?? '',
      (_request: http.IncomingMessage) => {
        const rate = faults?.dynamoDbRate;
        if (faults === undefined || rate === undefined || !faults.active() || !faults.random.chance(rate))
          return FORWARD;
        return dynamoDbThrottle(faults.random);
      },
    );
    opened.unshift(dynamoDbProxy);
    // The handlers' clients (built from the environment) now go through the proxies.
    process.env.ETL_S3_ENDPOINT = s3Proxy.endpoint;
    process.env.ETL_DYNAMODB_ENDPOINT = dynamoDbProxy.endpoint;

    const pgFixture = await postgresFixture();
    opened.unshift(pgFixture);
    const pgProxy = await startTcpFaultProxy(POSTGRES.port);
    opened.unshift(pgProxy);
    const pgConnection = uniqueName('fault_pg');
    await addConnection(pgConnection, 'postgres', { ...POSTGRES, port: pgProxy.port });

    const mariaFixture = await mariaDbFixture();
    opened.unshift(mariaFixture);
    const mariaProxy = await startTcpFaultProxy(MARIADB.port);
    opened.unshift(mariaProxy);
    const mariaConnection = uniqueName('fault_maria');
    await addConnection(mariaConnection, 'mysql', {
      ...MARIADB,
      port: mariaProxy.port,
      database: mariaFixture.database,
    });

    for (const name of PIPELINES) await putLocalFile(test, sourceFile(name), SOURCE_BUCKET, sourceKey(name));
    const service = new LocalExecutionService(test.services, { retryDelayMs: 10 });
    const directDynamoDb = createDynamoDbClient(test.services.env);
    opened.unshift({ close: async () => directDynamoDb.destroy() });
    const store = new RunStore(directDynamoDb, test.services.env.metadataTable, FAULT_ORGANIZATION);

    return {
      test,
      service,
      store,
      s3Proxy,
      dynamoDbProxy,
      postgres: { fixture: pgFixture, connection: pgConnection, proxy: pgProxy },
      mariadb: { fixture: mariaFixture, connection: mariaConnection, proxy: mariaProxy },
      setNetworkFaults(next) {
        faults = next;
      },
      async close() {
        await service.drain();
        for (const resource of opened) await resource.close();
      },
    };
  } catch (error) {
    for (const resource of opened) await resource.close().catch(() => undefined);
    throw error;
  }
}
