/**
 * Finds the DuckDB native binding (`duckdb.node` + `libduckdb.so`) built for
 * a Lambda architecture. npm installs only the host's binding, so a foreign
 * one is fetched once with `npm pack`, checked against the integrity that
 * package-lock.json records, and cached under node_modules/.cache.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { join } from 'node:path';

export type LambdaCpu = 'x64' | 'arm64';

export interface DuckDbBinding {
  /** npm package holding the binding, e.g. `@duckdb/node-bindings-linux-arm64`. */
  readonly packageName: string;
  readonly version: string;
  /** Folder with `package.json`, `duckdb.node` and `libduckdb.so`. */
  readonly dir: string;
}

const BINDINGS_PACKAGE = '@duckdb/node-bindings';

/** Lambda runs Amazon Linux 2023 (glibc), never musl. */
export function bindingPackageName(cpu: LambdaCpu): string {
  return `${BINDINGS_PACKAGE}-linux-${cpu}`;
}

function readJson(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

function stringField(value: unknown, field: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const found: unknown = (value as Record<string, unknown>)[field];
  return typeof found === 'string' ? found : undefined;
}

/** Every platform package `@duckdb/node-bindings` may require: esbuild must leave them all external. */
export function bindingPlatformPackages(projectRoot: string): string[] {
  const manifest = readJson(join(projectRoot, 'node_modules', BINDINGS_PACKAGE, 'package.json'));
  const optional = manifest.optionalDependencies;
  if (typeof optional !== 'object' || optional === null) {
    throw new Error(`${BINDINGS_PACKAGE} declares no platform packages: cannot tell which to keep external`);
  }
  return Object.keys(optional).sort();
}

/** The version `@duckdb/node-bindings` pins for a platform package, and its lockfile integrity. */
export function lockedBinding(
  projectRoot: string,
  packageName: string,
): { version: string; integrity: string } {
  const lock = readJson(join(projectRoot, 'package-lock.json'));
  const entry = (lock.packages as Record<string, unknown> | undefined)?.[`node_modules/${packageName}`];
  const version = stringField(entry, 'version');
  const integrity = stringField(entry, 'integrity');
  if (version === undefined || integrity === undefined) {
    throw new Error(`package-lock.json has no version and integrity for ${packageName}: run npm install`);
  }
  return { version, integrity };
}

/** Subresource-integrity check (`sha512-<base64>`), as npm itself verifies tarballs. */
export function matchesIntegrity(bytes: Buffer, integrity: string): boolean {
  const match = /^(sha512|sha384|sha256)-([A-Za-z0-9+/]+=*)$/.exec(integrity.trim());
  if (match === null) return false;
  const [, algorithm = '', expected] = match;
  return createHash(algorithm).update(bytes).digest('base64') === expected;
}

function installedBinding(projectRoot: string, packageName: string, version: string): string | undefined {
  const dir = join(projectRoot, 'node_modules', packageName);
  const manifest = join(dir, 'package.json');
  return existsSync(manifest) && stringField(readJson(manifest), 'version') === version ? dir : undefined;
}

function fetchBinding(projectRoot: string, packageName: string, version: string, integrity: string): string {
  const cacheRoot = join(projectRoot, 'node_modules', '.cache', 'etl-infra');
  const dir = join(cacheRoot, `${packageName.replace('/', '+')}@${version}`);
  if (existsSync(join(dir, 'package.json'))) return dir;

  const work = `${dir}.partial`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  // npm refuses to install a package for another CPU; `npm pack` only downloads it.
  const tarball = execFileSync(
    'npm',
    ['pack', `${packageName}@${version}`, '--pack-destination', work, '--silent'],
    { cwd: work, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  ).trim();
  const tarballPath = join(work, tarball);
  if (!matchesIntegrity(readFileSync(tarballPath), integrity)) {
    throw new Error(`${tarball} does not match the integrity package-lock.json records for ${packageName}`);
  }
  const unpacked = join(work, 'unpacked');
  mkdirSync(unpacked);
  execFileSync('tar', ['-xzf', tarballPath, '-C', unpacked, '--strip-components=1']);
  renameSync(unpacked, dir);
  rmSync(work, { recursive: true, force: true });
  return dir;
}

/** The binding for `cpu`: the installed one when the host matches, else fetched and verified. */
export function resolveDuckDbBinding(projectRoot: string, cpu: LambdaCpu): DuckDbBinding {
  const packageName = bindingPackageName(cpu);
  const { version, integrity } = lockedBinding(projectRoot, packageName);
  const dir =
    installedBinding(projectRoot, packageName, version) ??
    fetchBinding(projectRoot, packageName, version, integrity);
  return { packageName, version, dir };
}

const ELF_MACHINES: Readonly<Record<number, LambdaCpu>> = { 62: 'x64', 183: 'arm64' };

/** The CPU a native library is built for, read from its ELF header (e_machine, little-endian). */
export function elfCpu(path: string): LambdaCpu | undefined {
  const header = Buffer.alloc(20);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, header, 0, header.length, 0);
  } finally {
    closeSync(fd);
  }
  const isElf = header.subarray(0, 4).equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
  return isElf ? ELF_MACHINES[header.readUInt16LE(18)] : undefined;
}
