/**
 * The SSRF guard: a request's host is resolved BEFORE any connection, and
 * every address it resolves to is checked. Link-local and cloud metadata
 * addresses are always refused; private and loopback ranges only unless the
 * node sets `allow_private_network`.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { ConfigError, TransientError } from '../../../shared/errors.ts';
import { describeUrl, SsrfBlockedError } from './errors.ts';

export type AddressClass = 'metadata' | 'link-local' | 'private' | 'public';

/** Resolves a host name to all its addresses, like `dns.lookup(host, { all: true })`. */
export type HostLookup = (hostname: string) => Promise<readonly { address: string; family: number }[]>;

const METADATA_HOSTS = new Set(['metadata.google.internal', 'metadata.goog', 'metadata']);

const metadata = new BlockList();
metadata.addAddress('169.254.169.254', 'ipv4'); // AWS, GCP, Azure IMDS
metadata.addAddress('169.254.170.2', 'ipv4'); // ECS task metadata
metadata.addAddress('fd00:ec2::254', 'ipv6'); // AWS IMDS over IPv6

const linkLocal = new BlockList();
linkLocal.addSubnet('169.254.0.0', 16, 'ipv4');
linkLocal.addSubnet('fe80::', 10, 'ipv6');

const privateRanges = new BlockList();
privateRanges.addSubnet('10.0.0.0', 8, 'ipv4');
privateRanges.addSubnet('172.16.0.0', 12, 'ipv4');
privateRanges.addSubnet('192.168.0.0', 16, 'ipv4');
privateRanges.addSubnet('127.0.0.0', 8, 'ipv4');
privateRanges.addSubnet('0.0.0.0', 8, 'ipv4'); // "this network": reaches the local host
privateRanges.addSubnet('100.64.0.0', 10, 'ipv4'); // carrier-grade NAT, internal in VPCs
privateRanges.addAddress('::1', 'ipv6');
privateRanges.addAddress('::', 'ipv6');
privateRanges.addSubnet('fc00::', 7, 'ipv6');

/** `::ffff:a.b.c.d` reaches the IPv4 address, so it is judged as one. */
function unmapIpv4(address: string): { address: string; type: 'ipv4' | 'ipv6' } {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1] !== undefined) return { address: mapped[1], type: 'ipv4' };
  return { address, type: isIP(address) === 4 ? 'ipv4' : 'ipv6' };
}

/** Classifies one IP address literal (v4 or v6). */
export function classifyAddress(ip: string): AddressClass {
  if (isIP(ip) === 0) throw new TypeError(`not an IP address: ${ip}`);
  const { address, type } = unmapIpv4(ip);
  if (metadata.check(address, type)) return 'metadata';
  if (linkLocal.check(address, type)) return 'link-local';
  if (privateRanges.check(address, type)) return 'private';
  return 'public';
}

export interface SsrfPolicy {
  readonly allowPrivateNetwork: boolean;
  readonly lookup?: HostLookup;
}

const defaultLookup: HostLookup = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/**
 * Resolves `url`'s host and throws SsrfBlockedError unless every address is
 * allowed. Returns the addresses, for messages and tests.
 */
export async function assertUrlAllowed(url: URL, policy: SsrfPolicy): Promise<readonly string[]> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new SsrfBlockedError(`refusing ${describeUrl(url)}: only http and https URLs are fetched`);
  }
  const hostname = url.hostname
    .replace(/^\[|\]$/g, '')
    .toLowerCase()
    .replace(/\.$/, '');
  if (METADATA_HOSTS.has(hostname)) {
    throw new SsrfBlockedError(`refusing ${describeUrl(url)}: ${hostname} is a cloud metadata service`);
  }
  let addresses: string[];
  if (isIP(hostname) !== 0) {
    addresses = [hostname];
  } else {
    try {
      addresses = (await (policy.lookup ?? defaultLookup)(hostname)).map((entry) => entry.address);
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'lookup failed';
      const message = `cannot resolve ${hostname} (${code}); nothing was requested`;
      throw code === 'EAI_AGAIN' ? new TransientError(message) : new ConfigError(message);
    }
  }
  if (addresses.length === 0) throw new SsrfBlockedError(`${hostname} resolves to no address`);
  for (const address of addresses) {
    const kind = classifyAddress(address);
    if (kind === 'metadata' || kind === 'link-local') {
      throw new SsrfBlockedError(
        `refusing ${describeUrl(url)}: ${hostname} resolves to ${address}, a ${kind === 'metadata' ? 'cloud metadata' : 'link-local'} address (never allowed); no connection was made`,
      );
    }
    if (kind === 'private' && !policy.allowPrivateNetwork) {
      throw new SsrfBlockedError(
        `refusing ${describeUrl(url)}: ${hostname} resolves to ${address}, a private or loopback address; set allow_private_network: true to reach internal hosts`,
      );
    }
  }
  return addresses;
}
