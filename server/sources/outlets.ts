import { domainToUnicode } from 'node:url';
import { getDomain } from 'tldts';

/**
 * The outlet a source belongs to, for telling independent evidence from one
 * outlet's repeated word. In order: the outlet an editor named; the
 * registrable domain of the source's address, from the public suffix list
 * (news.bbc.co.uk and www.bbc.co.uk are bbc.co.uk; two blogs on one
 * blogging host are two outlets); the publisher's name, without case,
 * punctuation or a leading "The". A source with none of them has no known
 * outlet.
 */
export interface OutletOf {
  /** A stable key: two sources with the same key are one outlet. */
  key: string;
  /** How the outlet reads: the domain, or the name. */
  name: string;
  /** Where it comes from, for the reasons shown beside it. */
  from: 'set' | 'address' | 'publisher';
}

export function outletOf(source: { url: string | null; publisher: string | null; outlet?: string | null }): OutletOf | null {
  const set = source.outlet?.trim();
  if (set) return { key: `name:${nameKey(set)}`, name: set, from: 'set' };
  const domain = source.url ? domainOf(source.url) : null;
  if (domain) return { key: `domain:${domain}`, name: domainToUnicode(domain) || domain, from: 'address' };
  const publisher = source.publisher?.trim();
  if (publisher && nameKey(publisher)) return { key: `name:${nameKey(publisher)}`, name: publisher, from: 'publisher' };
  return null;
}

/** The registrable domain of an address (punycode, as the public suffix list has it), or null for an IP address or a bare suffix. */
export function domainOf(url: string): string | null {
  try {
    const host = new URL(url).hostname;
    return getDomain(host, { allowPrivateDomains: true }) ?? null;
  } catch {
    return null;
  }
}

/** A name as one outlet: "The Guardian", "guardian" and "Guardian." are one. */
function nameKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .replace(/^the /, '');
}
