import { parseWebUrl } from '../platform/urls.ts';

// Query parameters that only track where a click came from: they never change the page.
const TRACKING = /^(utm_[a-z_]+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|mc_cid|mc_eid|igshid|_ga|_gl|mkt_tok|oly_anon_id|oly_enc_id|vero_id|spm|ref_src|ref_url|cmpid|ocid)$/i;

/**
 * The one form of a source's URL, so the same page is one source: scheme and
 * host lower-cased (with punycode), default port dropped, fragment dropped,
 * tracking parameters dropped, the other parameters sorted, and no trailing
 * slash except on the bare host ("https://example.com/").
 * Returns a message instead when the value is not an http(s) address.
 */
export function normaliseSourceUrl(value: string): string | { error: string } {
  const parsed = parseWebUrl(value.trim());
  if (typeof parsed === 'string') return { error: parsed };
  const url = new URL(parsed.href); // WHATWG parsing already lower-cases scheme and host and drops default ports
  url.hash = '';
  const kept = [...url.searchParams.entries()].filter(([key]) => !TRACKING.test(key));
  kept.sort(([a, av], [b, bv]) => (a === b ? av.localeCompare(bv) : a < b ? -1 : 1));
  url.search = new URLSearchParams(kept).toString();
  if (url.pathname.length > 1) url.pathname = url.pathname.replace(/\/+$/, '') || '/';
  return url.href;
}
