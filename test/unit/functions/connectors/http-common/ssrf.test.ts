import { describe, expect, it, vi } from 'vitest';
import { SsrfBlockedError } from '../../../../../functions/connectors/http-common/errors.ts';
import {
  assertUrlAllowed,
  classifyAddress,
  type HostLookup,
} from '../../../../../functions/connectors/http-common/ssrf.ts';

describe('classifyAddress', () => {
  it.each([
    ['169.254.169.254', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['169.254.1.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['febf::1', 'link-local'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['127.0.0.1', 'private'],
    ['::1', 'private'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['::ffff:10.0.0.1', 'private'],
    ['0.0.0.0', 'private'],
    ['172.32.0.1', 'public'],
    ['8.8.8.8', 'public'],
    ['2606:4700::1111', 'public'],
  ])('%s is %s', (ip, expected) => {
    expect(classifyAddress(ip)).toBe(expected);
  });
});

describe('assertUrlAllowed', () => {
  const resolvesTo =
    (...addresses: string[]): HostLookup =>
    async () =>
      addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

  it('refuses metadata and link-local addresses even when private networks are allowed', async () => {
    const policy = { allowPrivateNetwork: true };

    await expect(
      assertUrlAllowed(new URL('http://169.254.169.254/latest/meta-data/'), policy),
    ).rejects.toThrow(/cloud metadata/);
    await expect(assertUrlAllowed(new URL('http://[fd00:ec2::254]/'), policy)).rejects.toThrow(
      SsrfBlockedError,
    );
    await expect(assertUrlAllowed(new URL('http://metadata.google.internal/'), policy)).rejects.toThrow(
      /cloud metadata/,
    );
    await expect(
      assertUrlAllowed(new URL('http://sneaky.example/'), { ...policy, lookup: resolvesTo('169.254.10.10') }),
    ).rejects.toThrow(/link-local/);
  });

  it('refuses private addresses unless allowed, checking every resolved address', async () => {
    const lookup = resolvesTo('93.184.216.34', '10.0.0.5');

    await expect(
      assertUrlAllowed(new URL('https://mixed.example/'), { allowPrivateNetwork: false, lookup }),
    ).rejects.toThrow(/allow_private_network/);
    await expect(
      assertUrlAllowed(new URL('https://mixed.example/'), { allowPrivateNetwork: true, lookup }),
    ).resolves.toStrictEqual(['93.184.216.34', '10.0.0.5']);
    await expect(
      assertUrlAllowed(new URL('http://127.0.0.1:8080/'), { allowPrivateNetwork: false }),
    ).rejects.toThrow(SsrfBlockedError);
  });

  it('allows public hosts and resolves names before anything else', async () => {
    const lookup = vi.fn(resolvesTo('93.184.216.34'));

    await expect(
      assertUrlAllowed(new URL('https://api.example.com/x'), { allowPrivateNetwork: false, lookup }),
    ).resolves.toStrictEqual(['93.184.216.34']);
    expect(lookup).toHaveBeenCalledWith('api.example.com');
  });

  it('fails when the scheme is not http or https', async () => {
    await expect(
      assertUrlAllowed(new URL('file:///etc/passwd'), { allowPrivateNetwork: true }),
    ).rejects.toThrow(/only http and https/);
  });
});
