import { z } from 'zod';

/**
 * An http(s) URL, or the reason it is refused. `javascript:`, `data:` and
 * every other scheme are refused: only web addresses become links.
 */
export function parseWebUrl(value: string): URL | string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'Enter a full web address starting with https:// or http://.';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `Only web addresses (https:// or http://) can be used, not ${url.protocol.replace(/:$/, '')}: addresses.`;
  }
  if (!url.hostname) return 'Enter a full web address with a host name, like https://example.org/page.';
  if (url.username || url.password) return 'Remove the user name or password from the web address.';
  return url;
}

/** An optional web address field: empty is null; anything not http(s) is refused with a message. */
export function optionalWebUrl(label: string) {
  return z.preprocess(
    (v) => (typeof v === 'string' ? v.trim() : v) || null,
    z
      .string({ error: `${label} must be a web address.` })
      .max(2000, `${label} must be 2,000 characters or fewer.`)
      .transform((value, ctx) => {
        const url = parseWebUrl(value);
        if (typeof url === 'string') {
          ctx.addIssue({ code: 'custom', message: url });
          return z.NEVER;
        }
        return url.href;
      })
      .nullable(),
  );
}
