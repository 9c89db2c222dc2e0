/** `etl serve`: the API, the console and the local runtime on 127.0.0.1 until interrupted. */
import { startServe } from '../../serve/serve.ts';

export interface ServeCommandOptions {
  readonly port: number;
  readonly dataDir: string;
}

export async function serveCommand(options: ServeCommandOptions): Promise<void> {
  const server = await startServe({ port: options.port, dataDir: options.dataDir });
  console.log(`etl serve: API at ${server.url}/api (OpenAPI: ${server.url}/api/openapi.json)`);
  console.log(
    server.consoleServed
      ? `etl serve: console at ${server.url}/`
      : 'etl serve: no console build (web/dist): build it to have it served at /',
  );
  console.log(`etl serve: data dir ${server.services.dataDir}`);
  console.log(
    `etl serve: get a token with: etl token --role developer --org acme --data-dir ${options.dataDir}\n` +
      `           then: curl -H "Authorization: Bearer $TOKEN" ${server.url}/api/pipelines`,
  );
  await new Promise<void>((stopped) => {
    const stop = () => {
      console.log('etl serve: stopping (runs under way finish first)');
      server.close().then(stopped, (error: unknown) => {
        console.error(`etl serve: ${String(error)}`);
        stopped();
      });
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
