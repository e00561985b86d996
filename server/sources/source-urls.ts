import { parseWebUrl } from '../platform/urls.ts';

// Query parameters that only track where a click came from: they never change the page.
const TRACKING = /^(utm_[a-z_]+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|mc_cid|mc_eid|igshid|_ga|_gl|mkt_tok|oly_anon_id|oly_enc_id|vero_id|spm|ref_src|ref_url|cmpid|ocid)$/i;

// Leading "www." labels, as long as a host name with a dot is left ("www.com" stays as it is).
const WWW = /^(?:www\.)+(?=[^.]*\.)/;

/**
 * A source's URL cleaned for keeping and opening: scheme and host
 * lower-cased (with punycode), default port dropped, fragment dropped,
 * tracking parameters dropped, the other parameters sorted, and no trailing
 * slash except on the bare host ("https://example.com/"). The host keeps its
 * "www.": some sites answer only on it, so this is the address that opens.
 * Returns a message instead when the value is not an http(s) address.
 */
export function cleanSourceUrl(value: string): string | { error: string } {
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

/**
 * The one form of a source's URL, so the same page is one source: the
 * cleaned URL (see cleanSourceUrl) over https, with a leading "www." dropped
 * from the host. Sites serve the same article on www.example.com and
 * example.com, over http and https, and links to it carry any of them, so all
 * are one source. The sources table keeps this form in url_normalized,
 * unique; migrations 20261201000700 and 20261206000200 apply the same rules
 * to the rows stored before them. The address shown and opened (url) keeps
 * its own scheme.
 */
export function normaliseSourceUrl(value: string): string | { error: string } {
  const cleaned = cleanSourceUrl(value);
  if (typeof cleaned !== 'string') return cleaned;
  const url = new URL(cleaned);
  url.hostname = url.hostname.replace(WWW, '');
  const key = url.href;
  return key.startsWith('http:') ? `https:${key.slice('http:'.length)}` : key;
}

const DUPLICATE_OF = /#(?:duplicate-of|merged-into)-(\d{1,10})$/;

/**
 * The id of the source that is the page's own, when this source's key marks
 * it as another source of the same page (kept by migration 20261201000700
 * when two stored sources differed only by "www.", and merged into it by
 * migration 20261206000200); null otherwise.
 */
export function duplicateOfSource(urlNormalized: string | null): number | null {
  const m = urlNormalized ? DUPLICATE_OF.exec(urlNormalized) : null;
  return m ? Number(m[1]) : null;
}
