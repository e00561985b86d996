import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';

/**
 * Where a server-side request may go. Every fetch the desk makes on a user's
 * or an admin's behalf (import by address, webhooks) asks here first, so one
 * rule keeps it off the desk's own network (OWASP's SSRF prevention): only
 * http and https, and only public unicast addresses, unless an admin named
 * the host in FETCH_ALLOW_HOSTS (an intranet's CMS, a receiver on the same
 * machine).
 */
export interface OutboundRules {
  /** Host names (or literal addresses) that may be on a private network (FETCH_ALLOW_HOSTS), lower case. */
  allowHosts: readonly string[];
  /** Resolves a host name to every address it has; dns.lookup unless a test gives its own. */
  resolve?: (host: string) => Promise<{ address: string; family: number }[]>;
}

/** Why an address was not fetched: its code, and a sentence for the person who gave it. */
export class OutboundRefusal extends Error {
  constructor(
    readonly code: 'scheme' | 'credentials' | 'address' | 'unresolvable' | 'redirects' | 'too_large' | 'timeout' | 'content_type' | 'status' | 'unreachable',
    message: string,
  ) {
    super(message);
  }
}

/** What ipaddr.js calls each range that is not the public internet, in words. */
const RANGE_WORDS: Record<string, string> = {
  loopback: 'this machine itself (a loopback address)',
  private: 'a private network',
  linkLocal: 'a link-local address (such as a cloud metadata service)',
  uniqueLocal: 'a private network (a unique-local address)',
  multicast: 'a multicast address',
  unspecified: 'an unspecified address',
  broadcast: 'a broadcast address',
  carrierGradeNat: 'a carrier’s private network',
  reserved: 'a reserved address',
};

/** An address the connection may go to: checked, and the one it will use (no second lookup). */
export interface CheckedAddress {
  address: string;
  family: 4 | 6;
}

/**
 * The address a URL's host may be reached at, or a refusal: the name is
 * resolved once and every address it has must be public (a name with one
 * private address among public ones is refused: which one a connection would
 * pick is not ours to guess). IPv4 written as IPv6 (::ffff:127.0.0.1) counts
 * as the IPv4 address it is.
 */
export async function checkedAddress(url: URL, rules: OutboundRules): Promise<CheckedAddress> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new OutboundRefusal('scheme', 'Only http:// and https:// addresses can be fetched.');
  }
  if (url.username || url.password) throw new OutboundRefusal('credentials', 'Addresses with a user name or password in them are not fetched.');
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const allowed = rules.allowHosts.includes(host);
  const addresses = ipaddr.isValid(host) ? [{ address: host, family: ipaddr.parse(host).kind() === 'ipv6' ? 6 : 4 }] : await resolveAll(host, rules);
  for (const { address } of addresses) {
    const range = ipaddr.process(address).range();
    if (range !== 'unicast' && !allowed) {
      const words = RANGE_WORDS[range] ?? 'an address that is not on the public internet';
      throw new OutboundRefusal('address', `${url.hostname} is ${host === address ? '' : `at ${address}, `}${words}. Factdesk fetches only public web addresses; an administrator can allow a named intranet host.`);
    }
  }
  const first = addresses[0]!;
  return { address: ipaddr.process(first.address).toString(), family: ipaddr.process(first.address).kind() === 'ipv6' ? 6 : 4 };
}

async function resolveAll(host: string, rules: OutboundRules): Promise<{ address: string; family: number }[]> {
  try {
    const found = await (rules.resolve ?? ((h: string) => lookup(h, { all: true, verbatim: true })))(host);
    if (found.length > 0) return found;
  } catch {
    // Falls through to the refusal below.
  }
  throw new OutboundRefusal('unresolvable', `No server called ${host} could be found. Check the address.`);
}

/** FETCH_ALLOW_HOSTS as the rules take it: names in lower case, without brackets or ports. */
export function allowHostsFrom(list: string | undefined): string[] {
  return (list ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase().replace(/^\[|\]$/g, ''))
    .filter(Boolean);
}
