import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  bindingPackageName,
  bindingPlatformPackages,
  elfCpu,
  lockedBinding,
  matchesIntegrity,
  resolveDuckDbBinding,
} from '../../../infra/bundling/duckdb-binding.ts';
import { PROJECT_ROOT } from '../../../infra/bundling/function-bundling.ts';

const hostCpu = process.arch === 'arm64' ? 'arm64' : 'x64';

describe('bindingPlatformPackages', () => {
  it("lists every platform package @duckdb/node-bindings may require, Lambda's two included", () => {
    const packages = bindingPlatformPackages(PROJECT_ROOT);

    expect(packages).toEqual(
      expect.arrayContaining([bindingPackageName('x64'), bindingPackageName('arm64')]),
    );
    expect(packages.every((name) => name.startsWith('@duckdb/node-bindings-'))).toBe(true);
  });
});

describe('lockedBinding', () => {
  it.each(['x64', 'arm64'] as const)('pins the %s binding with a sha512 integrity', (cpu) => {
    const locked = lockedBinding(PROJECT_ROOT, bindingPackageName(cpu));

    expect(locked.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(locked.integrity).toMatch(/^sha512-[A-Za-z0-9+/]+=*$/);
  });

  it('fails when package-lock.json does not know the package', () => {
    expect(() => lockedBinding(PROJECT_ROOT, '@duckdb/node-bindings-plan9-mips')).toThrow(
      /no version and integrity/,
    );
  });
});

describe('matchesIntegrity', () => {
  const bytes = Buffer.from('a tarball');
  const integrity = `sha512-${createHash('sha512').update(bytes).digest('base64')}`;

  it('accepts the bytes the integrity was computed from', () => {
    expect(matchesIntegrity(bytes, integrity)).toBe(true);
  });

  it('rejects other bytes and malformed integrities', () => {
    expect(matchesIntegrity(Buffer.from('a tampered tarball'), integrity)).toBe(false);
    expect(matchesIntegrity(bytes, 'no-dash-here')).toBe(false);
  });
});

describe('resolveDuckDbBinding', () => {
  it("uses the installed binding for the host's CPU, without fetching", () => {
    const binding = resolveDuckDbBinding(PROJECT_ROOT, hostCpu);

    expect(binding.dir).toBe(join(PROJECT_ROOT, 'node_modules', bindingPackageName(hostCpu)));
    expect(elfCpu(join(binding.dir, 'duckdb.node'))).toBe(hostCpu);
  });
});

describe('elfCpu', () => {
  it('is undefined for a file that is not ELF', async () => {
    const path = join(tmpdir(), 'etl-not-elf.txt');
    await writeFile(path, 'just text, long enough for a header');

    expect(elfCpu(path)).toBeUndefined();
  });
});
