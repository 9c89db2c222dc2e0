/** The `etl` command line: validate, translate and run pipelines locally, and move data in and out. */
import { Command, Option } from 'commander';
import { EtlError } from '../errors.ts';
import { registerConnectionCommands } from './commands/connections.ts';
import { registerLineageCommand } from './commands/lineage.ts';
import { getCommand, lsCommand, putCommand } from './commands/objects.ts';
import { ParameterError } from './commands/parameters.ts';
import { runCommand } from './commands/run.ts';
import { runsCommand, showCommand } from './commands/runs.ts';
import { schemaCommand, UnknownModuleError } from './commands/schema.ts';
import { serveCommand } from './commands/serve.ts';
import { registerStateCommands } from './commands/state.ts';
import { tokenCommand } from './commands/token.ts';
import { translateCommand } from './commands/translate.ts';
import { InvalidPipelineError, validateCommand } from './commands/validate.ts';
import { PipelineFileError } from './load-pipeline.ts';

const DEFAULT_DATA_DIR = process.env.ETL_DATA_DIR ?? '.etl';

function dataDirOption(): Option {
  return new Option('--data-dir <dir>', 'folder holding local S3, DynamoDB and run logs').default(
    DEFAULT_DATA_DIR,
  );
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

// Local runs print their own progress; handler logs and metrics would drown it.
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';

const program = new Command('etl')
  .description('Serverless ETL pipelines: validate, translate to Step Functions, and run locally')
  .showHelpAfterError();

program
  .command('validate <file>')
  .description('check a pipeline and list every problem with its JSON pointer')
  .action((file: string) => validateCommand(file));

program
  .command('translate <file>')
  .description('print the Amazon States Language state machine of a pipeline')
  .action((file: string) => translateCommand(file));

program
  .command('schema [module]')
  .description("print the JSON Schema of the pipeline format, or of a module's config")
  .action((module: string | undefined) => schemaCommand(module));

program
  .command('run <file>')
  .description('run a pipeline on the local runtime (S3 and DynamoDB emulators, the same state machine)')
  .option('--param <name=value>', 'set a pipeline parameter (repeatable)', collect, [])
  .addOption(dataDirOption())
  .action(async (file: string, options: { param: string[]; dataDir: string }) => {
    process.exitCode = await runCommand(file, options);
  });

program
  .command('put <local-path> <s3-uri>')
  .description('upload a file (or a folder, under a prefix) to the local S3')
  .addOption(dataDirOption())
  .action((localPath: string, uri: string, options: { dataDir: string }) =>
    putCommand(localPath, uri, options),
  );

program
  .command('ls [s3-uri]')
  .description('list buckets, or the objects under s3://bucket/prefix, in the local S3')
  .addOption(dataDirOption())
  .action((uri: string | undefined, options: { dataDir: string }) => lsCommand(uri, options));

program
  .command('get <s3-uri> <local-path>')
  .description('download an object from the local S3')
  .addOption(dataDirOption())
  .action((uri: string, localPath: string, options: { dataDir: string }) =>
    getCommand(uri, localPath, options),
  );

program
  .command('runs')
  .description('list recent local runs, newest first')
  .option('--limit <n>', 'how many', (value) => Number.parseInt(value, 10), 20)
  .addOption(dataDirOption())
  .action((options: { dataDir: string; limit: number }) => runsCommand(options));

program
  .command('show <run-id>')
  .description("show a run's status, per-node counters and error")
  .addOption(dataDirOption())
  .action(async (runId: string, options: { dataDir: string }) => {
    process.exitCode = await showCommand(runId, options);
  });

program
  .command('serve')
  .description('the API at /api, the console at / and the local runtime, on 127.0.0.1')
  .option('--port <port>', 'port to listen on (0: any free one)', (value) => Number.parseInt(value, 10), 8080)
  .addOption(dataDirOption())
  .action((options: { port: number; dataDir: string }) => serveCommand(options));

program
  .command('token')
  .description('print a local API token for etl serve, signed with the data dir key')
  .requiredOption('--role <role>', 'admin, developer or viewer')
  .requiredOption('--org <org>', 'organization the token is scoped to')
  .option('--user <user>', 'user id (subject); default <role>@<org>')
  .option('--ttl <seconds>', 'lifetime in seconds (default 12 h)', (value) => Number.parseInt(value, 10))
  .addOption(dataDirOption())
  .action((options: { role: string; org: string; user?: string; ttl?: number; dataDir: string }) =>
    tokenCommand(options),
  );

registerConnectionCommands(program, dataDirOption);
registerStateCommands(program, dataDirOption);
registerLineageCommand(program, dataDirOption);

const EXPECTED_ERRORS = [
  InvalidPipelineError,
  PipelineFileError,
  ParameterError,
  UnknownModuleError,
  EtlError,
];

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (EXPECTED_ERRORS.some((type) => error instanceof type)) {
    console.error(`etl: ${(error as Error).message}`);
    process.exitCode = 1;
  } else {
    throw error;
  }
}
