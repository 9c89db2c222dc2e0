/**
 * `etl serve`: the local runtime behind the API (LocalExecutionService),
 * the API at /api, the console (when built) at /, schedules and S3 triggers,
 * all on 127.0.0.1.
 */
import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createApi } from '../../functions/api/app.ts';
import type { ApiLogger } from '../../functions/api/deps.ts';
import { ApiProblem, problemResponse } from '../../functions/api/problem.ts';
import { localFunctionArn } from '../../statemachines/function-names.ts';
import { loadOrCreateLocalKey } from '../auth/local-key.ts';
import { LocalTokenVerifier } from '../auth/local-tokens.ts';
import { createDynamoDbClient } from '../aws/clients.ts';
import {
  LocalExecutionService,
  type LocalExecutionServiceOptions,
} from '../executions/local-execution-service.ts';
import { previewNode } from '../executions/preview.ts';
import { registry } from '../modules/registry.ts';
import { type LocalServices, startLocalServices } from '../runtime/local-services.ts';
import { secretStoreFromEnv } from '../secrets/from-env.ts';
import { PipelineTriggerIndex } from '../store/pipeline-store.ts';
import { type LocalTriggers, startLocalTriggers } from '../triggers/local-triggers.ts';
import { pipelineSourceFromStore } from '../triggers/store-adapters.ts';
import { recordingLastRun } from './last-run.ts';
import { mountConsole } from './static-console.ts';

export const API_BASE = '/api';
export const DEFAULT_WEB_DIST = fileURLToPath(new URL('../../web/dist', import.meta.url));

export interface ServeOptions {
  readonly dataDir: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly webDist?: string;
  readonly execution?: LocalExecutionServiceOptions;
  /** Schedules and S3 triggers (default on). */
  readonly triggers?: boolean;
  readonly logger?: ApiLogger;
}

export interface RunningServe {
  readonly url: string;
  readonly port: number;
  readonly services: LocalServices;
  readonly executions: LocalExecutionService;
  readonly triggers?: LocalTriggers;
  readonly consoleServed: boolean;
  /** Stops accepting requests, lets runs under way end, then stops the emulators. */
  close(): Promise<void>;
}

const stderrLogger: ApiLogger = {
  info: (message, extra) =>
    process.stderr.write(`etl serve: ${message}${extra ? ` ${JSON.stringify(extra)}` : ''}\n`),
  error: (message, extra) =>
    process.stderr.write(`etl serve: ${message}${extra ? ` ${JSON.stringify(extra)}` : ''}\n`),
};

export async function startServe(options: ServeOptions): Promise<RunningServe> {
  const logger = options.logger ?? stderrLogger;
  const services = await startLocalServices(options.dataDir);
  try {
    const workDir = join(services.dataDir, 'tmp');
    await mkdir(workDir, { recursive: true });
    const verifier = new LocalTokenVerifier(await loadOrCreateLocalKey(services.dataDir));
    const dynamo = createDynamoDbClient(services.env);
    const table = services.env.metadataTable;
    const local = new LocalExecutionService(services, options.execution);
    // The triggers start after the API is built; a save re-reads the schedules at once instead of
    // waiting for the periodic refresh.
    let triggers: LocalTriggers | undefined;
    const refreshSchedules = async () => {
      await triggers?.refreshSchedules();
    };

    const api = createApi({
      dynamo,
      table,
      idempotency: services.env,
      s3: services.s3,
      stagingBucket: services.env.stagingBucket,
      secrets: secretStoreFromEnv(),
      // The API records each pipeline's last run itself; triggers go through recordingLastRun.
      executions: local,
      verifier,
      registry,
      resolveFunctionArn: localFunctionArn,
      workDir,
      logger,
      basePath: API_BASE,
      preview: (request) => previewNode(request, services),
      schedules: { sync: refreshSchedules, remove: refreshSchedules },
    });
    const root = new Hono();
    root.route(API_BASE, api);
    const consoleServed = mountConsole(root, options.webDist ?? DEFAULT_WEB_DIST, API_BASE);
    root.notFound((c) =>
      c.req.path === API_BASE || c.req.path.startsWith(`${API_BASE}/`)
        ? problemResponse(c, new ApiProblem(404, 'not-found', `no route ${c.req.method} ${c.req.path}`))
        : c.text('not found', 404),
    );

    triggers =
      options.triggers === false
        ? undefined
        : startLocalTriggers({
            services,
            targets: new PipelineTriggerIndex(dynamo, table),
            schedules: new PipelineTriggerIndex(dynamo, table),
            executions: recordingLastRun(local, dynamo, table),
            pipelines: pipelineSourceFromStore(dynamo, table),
            onError: (error, what) => logger.error(what, { error: String(error) }),
          });

    const server = await new Promise<ReturnType<typeof serve>>((ready, fail) => {
      const started = serve({ fetch: root.fetch, port: options.port, hostname: '127.0.0.1' }, () =>
        ready(started),
      );
      started.once('error', fail);
    });
    const { port } = server.address() as AddressInfo;
    return {
      url: `http://127.0.0.1:${port}`,
      port,
      services,
      executions: local,
      ...(triggers ? { triggers } : {}),
      consoleServed,
      async close() {
        await new Promise<void>((done) => server.close(() => done()));
        await triggers?.stop();
        await local.drain();
        dynamo.destroy();
        await services.stop();
      },
    };
  } catch (error) {
    await services.stop();
    throw error;
  }
}
