/**
 * How every Lambda of the platform is bundled: one esbuild recipe, so the
 * stack, the stack tests and the bundle benchmark all mean the same bundle.
 */
import { fileURLToPath } from 'node:url';
import { Runtime } from 'aws-cdk-lib/aws-lambda';
import { type BundlingOptions, LogLevel, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { bindingPlatformPackages } from './duckdb-binding.ts';

/** The repository root: entries, package-lock.json and node_modules are resolved from it. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Node 22 is what `npm ci` installs and every test runs on (see package.json),
 * so the functions run the very runtime the code is tested with. Move both
 * together (cdk-nag's AwsSolutions-L1 is acknowledged for this reason).
 */
export const FUNCTION_RUNTIME = Runtime.NODEJS_22_X;

/**
 * ES module output needs a `require` for the CommonJS dependencies esbuild
 * inlines (DuckDB's loader requires its native binding at run time).
 */
const REQUIRE_BANNER =
  "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

export function functionBundling(projectRoot: string = PROJECT_ROOT): BundlingOptions {
  return {
    format: OutputFormat.ESM,
    target: 'node22',
    mainFields: ['module', 'main'],
    minify: true,
    // Maps translate minified stack traces; without sources they stay small.
    sourceMap: true,
    sourcesContent: false,
    banner: REQUIRE_BANNER,
    // The native binding cannot be bundled: the DuckDB layer provides it. The
    // AWS SDK is bundled (not taken from the runtime) so Lambda runs exactly
    // the SDK versions package-lock.json pins and the tests exercise.
    externalModules: bindingPlatformPackages(projectRoot),
    logLevel: LogLevel.WARNING,
  };
}
