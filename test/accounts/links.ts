import assert from 'node:assert/strict';
import type request from 'supertest';
import type { Client } from '../support/client.ts';

/** The set-password link's path (/set-password/<token>) on a page, or undefined when the page shows none. */
export function linkIn(html: string): string | undefined {
  return /value="http:\/\/factdesk\.test(\/set-password\/[A-Za-z0-9_-]+)"/.exec(html)?.[1];
}

/**
 * Follows the 303 that answers a POST making a set-password link (a new account
 * or a reset) to the page that shows the link, as a browser would.
 */
export async function followToLink(client: Client, res: request.Response): Promise<{ location: string; page: request.Response; link: string }> {
  assert.equal(res.status, 303, 'the form is answered with a redirect, so a refresh does not send it again');
  const location = String(res.headers.location);
  assert.match(location, /^\/admin\/users\/\d+\/link$/, 'the link page has no token in its address');
  const page = await client.get(location);
  assert.equal(page.status, 200);
  const link = linkIn(page.text);
  assert.ok(link, 'the page shows the link');
  return { location, page, link };
}
