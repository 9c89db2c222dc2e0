#!/usr/bin/env node
// Launches the `etl` CLI on the project's own Node 22 (the `node` dev
// dependency, the Lambda runtime's major version) with TypeScript loaded by
// tsx, and with OpenSSL's legacy provider, which s3rver needs to page
// listings past 1,000 keys.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const projectNode = fileURLToPath(new URL('../../node_modules/node/bin/node', import.meta.url));
const nodeBinary = existsSync(projectNode) ? projectNode : process.execPath;
const tsxLoader = new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url).href;
const main = fileURLToPath(new URL('./main.ts', import.meta.url));

const result = spawnSync(
  nodeBinary,
  ['--openssl-legacy-provider', '--import', tsxLoader, main, ...process.argv.slice(2)],
  { stdio: 'inherit' },
);
if (result.error) {
  console.error(`etl: cannot start ${nodeBinary}: ${result.error.message}`);
  process.exit(2);
}
process.exit(result.status ?? 1);
