import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../shared/errors.ts';
import {
  apiStateMachineName,
  checkStateMachineNamePrefix,
  gitStateMachineName,
  MAX_STATE_MACHINE_NAME_LENGTH,
} from '../../../../shared/executions/state-machine-name.ts';

const PREFIX = 'EtlPlatform-';
/** What Step Functions accepts, narrowed to what CloudWatch logging accepts. */
const VALID_NAME = /^[A-Za-z0-9_-]{1,80}$/;

const pipelineIds = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/);
const organizations = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/);

describe('gitStateMachineName', () => {
  it('puts the git marker after the prefix', () => {
    expect(gitStateMachineName(PREFIX, 'orders')).toBe('EtlPlatform-git-orders');
  });

  it('keeps a 79-character name whole and cuts an 80-character one to 80 with a hash', () => {
    const room = 79 - 'EtlPlatform-git-'.length;

    const whole = gitStateMachineName(PREFIX, `p${'a'.repeat(room - 1)}`);
    const cut = gitStateMachineName(PREFIX, `p${'a'.repeat(room)}`);

    expect(whole).toHaveLength(79);
    expect(whole).toBe(`EtlPlatform-git-p${'a'.repeat(room - 1)}`);
    expect(cut).toHaveLength(MAX_STATE_MACHINE_NAME_LENGTH);
    expect(cut).toMatch(/^EtlPlatform-git-pa+-[0-9a-f]{16}$/);
  });

  it('fails when the pipeline id could not be told from the separator', () => {
    expect(() => gitStateMachineName(PREFIX, '_orders')).toThrow(ConfigError);
  });
});

describe('apiStateMachineName', () => {
  it('puts the api marker, the organization and the pipeline id after the prefix', () => {
    expect(apiStateMachineName(PREFIX, 'acme', 'orders')).toBe('EtlPlatform-api-acme_orders');
  });

  it('doubles underscores of the organization so the boundary stays unique', () => {
    expect(apiStateMachineName(PREFIX, 'a_b', 'c')).toBe('EtlPlatform-api-a__b_c');
    expect(apiStateMachineName(PREFIX, 'a', 'b_c')).toBe('EtlPlatform-api-a_b_c');
    expect(apiStateMachineName(PREFIX, 'a-b', 'c')).not.toBe(apiStateMachineName(PREFIX, 'a', 'b-c'));
  });

  it('cuts the longest names (64-character organization and id) to exactly 80 characters', () => {
    const name = apiStateMachineName(PREFIX, 'o'.repeat(64), `p${'x'.repeat(63)}`);

    expect(name).toHaveLength(MAX_STATE_MACHINE_NAME_LENGTH);
    expect(name).toMatch(VALID_NAME);
  });

  it('fails on an organization with characters a name cannot hold', () => {
    expect(() => apiStateMachineName(PREFIX, 'acme.eu', 'orders')).toThrow(/organization "acme.eu"/);
  });
});

describe('names of git and API pipelines', () => {
  it('never collide, whole or cut, and always fit the limit and the allowed characters', () => {
    fc.assert(
      fc.property(
        organizations,
        pipelineIds,
        organizations,
        pipelineIds,
        pipelineIds,
        (orgA, idA, orgB, idB, gitId) => {
          const a = apiStateMachineName(PREFIX, orgA, idA);
          const b = apiStateMachineName(PREFIX, orgB, idB);
          const git = gitStateMachineName(PREFIX, gitId);

          for (const name of [a, b, git]) {
            expect(name.length).toBeLessThanOrEqual(MAX_STATE_MACHINE_NAME_LENGTH);
            expect(name).toMatch(VALID_NAME);
          }
          expect(git).not.toBe(a);
          if (orgA !== orgB || idA !== idB) expect(a).not.toBe(b);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('keep the git pipeline that looks like an organization apart from that organization', () => {
    // Before the markers, `<prefix>acme-orders` was both of these.
    expect(gitStateMachineName(PREFIX, 'acme-orders')).not.toBe(
      apiStateMachineName(PREFIX, 'acme', 'orders'),
    );
    expect(gitStateMachineName(PREFIX, 'api-acme_orders')).not.toBe(
      apiStateMachineName(PREFIX, 'acme', 'orders'),
    );
  });

  it('tell a cut name from a whole one by its length, so no id can be crafted to equal it', () => {
    const cut = apiStateMachineName(PREFIX, 'acme', `p${'y'.repeat(63)}`);
    const crafted = cut.slice(`${PREFIX}api-acme_`.length);

    expect(crafted).toMatch(/^[A-Za-z]/);
    expect(apiStateMachineName(PREFIX, 'acme', crafted)).not.toBe(cut);
  });
});

describe('checkStateMachineNamePrefix', () => {
  it('fails when the prefix leaves no room for the marker and a name', () => {
    expect(() => checkStateMachineNamePrefix('S'.repeat(60))).toThrow(/at most 58/);
  });

  it('fails on characters a state machine name cannot hold', () => {
    expect(() => checkStateMachineNamePrefix('etl prod-')).toThrow(ConfigError);
  });

  it('accepts the default stack prefix', () => {
    expect(() => checkStateMachineNamePrefix(PREFIX)).not.toThrow();
  });
});
