/** Stores and connection lookups follow the organization of the run a task works for. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionDeps } from '../../../../shared/connections/deps.ts';
import { handlerDeps } from '../../../../shared/lambda/deps.ts';
import { currentRunOrganization, withRunOrganization } from '../../../../shared/lambda/run-organization.ts';

const ENV = { ETL_STAGING_BUCKET: 'staging', ETL_METADATA_TABLE: 'metadata', ETL_ORGANIZATION: 'deployment' };

describe('run organization', () => {
  const saved: Record<string, string | undefined> = {};
  beforeAll(() => {
    for (const [name, value] of Object.entries(ENV)) {
      saved[name] = process.env[name];
      process.env[name] = value;
    }
  });
  afterAll(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('keeps concurrent tasks of different organizations apart', async () => {
    const seen = await Promise.all(
      ['acme', 'globex'].map((organization) =>
        withRunOrganization(organization, async () => {
          await new Promise((resolve) => setTimeout(resolve, 5));
          return { scope: currentRunOrganization(), connections: connectionDeps().organization };
        }),
      ),
    );

    expect(seen).toStrictEqual([
      { scope: 'acme', connections: 'acme' },
      { scope: 'globex', connections: 'globex' },
    ]);
    expect(currentRunOrganization()).toBeUndefined();
  });

  it("falls back to the deployment's organization outside a run", () => {
    expect(connectionDeps().organization).toBe('deployment');
    expect(handlerDeps().organization).toBe('deployment');
  });

  it('builds one store per organization over one set of clients', () => {
    const acme = handlerDeps('acme');
    const globex = handlerDeps('globex');

    expect(acme.organization).toBe('acme');
    expect(handlerDeps('acme')).toBe(acme);
    expect(globex.store).not.toBe(acme.store);
    expect(globex.s3).toBe(acme.s3);
  });
});
