import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { User } from '../../server/accounts/users.repo.ts';
import { createTestApp, type TestContext } from '../support/app.ts';
import { Client } from '../support/client.ts';
import { makeSource, makeUser } from '../support/factories.ts';

// The library every query below runs against: title, publisher, URL as typed.
const LIBRARY: [string, string | null, string | null][] = [
  ['Summit status report', 'Wire service', 'https://example.org/sample/budapest'],
  ['Sample index page', 'Example Press', 'https://www.example.org/sample'],
  ['Example company profile', 'Business Weekly', 'https://business.test/companies/example'],
  ['Tracking link page', null, 'https://Example.com/a?utm_source=x'],
  ['News subdomain story', null, 'https://news.example.org/2025/11/story'],
  ['Look-alike host', null, 'https://myexample.org/sample/budapest'],
  ['Reuters news agency dispatch', 'Reuters', 'https://reuters.example/d'],
  ['Percent 100% and under_score', null, 'https://odd.example/path_with_underscore/100%25'],
  ['Interview with the spokesperson', 'Ministry of Interior', null],
  ['Kyiv café report', null, 'https://example.net/café'],
];

// Query -> the titles it finds (in any order).
const CASES: [string, string[]][] = [
  ['example.org', ['Summit status report', 'Sample index page', 'News subdomain story']],
  ['example.org/sample/budapest', ['Summit status report']],
  ['https://Example.com/a?utm_source=x', ['Tracking link page']],
  ['example.com', ['Tracking link page']],
  ['https://example.org', ['Summit status report', 'Sample index page', 'News subdomain story']],
  ['http://www.example.org/sample', ['Summit status report', 'Sample index page']],
  ['www.example.org/sample', ['Summit status report', 'Sample index page']],
  ['EXAMPLE.ORG/SAMPLE/', ['Summit status report', 'Sample index page']],
  ['example.org/samp', ['Summit status report', 'Sample index page']],
  ['sample/budapest', ['Summit status report', 'Look-alike host']],
  ['news.example.org/2025', ['News subdomain story']],
  ['ample.org', []],
  ['example.net/café', ['Kyiv café report']],
  ['odd.example/path_with', ['Percent 100% and under_score']],
  ['odd.example/path%with', []],
  ['odd.example/path_with_underscore/100%25', ['Percent 100% and under_score']],
  ['https://reuters.example/d', ['Reuters news agency dispatch']],
  ['reut', ['Reuters news agency dispatch']],
  ['news agency', ['Reuters news agency dispatch']],
  ['interior', ['Interview with the spokesperson']],
  ['café', ['Kyiv café report']],
  ['under_score', ['Percent 100% and under_score']],
  ['zzzz', []],
  // Hostile input: a search like any other, never an error.
  ['%', []],
  ['_', []],
  ['\\', []],
  ["'", []],
  ['"', []],
  ['%_\\\'"', []],
  ["' OR 1=1 --", []],
  ['&|!:*()', []],
  ['example.org/%', []],
  ['example.org/_', []],
  ["example.org/'\\", []],
  ['https://%', []],
];

const ODD = ['example.org\\', '\\\\%%__', 'a_b%c', "https://example.org/'; DROP TABLE sources; --", 'x'.repeat(200), '..//..', 'https://', 'http://[::1]/', 'é.é/é', '%00', 'example.org:99999/x'];

describe('searching the source library', () => {
  let ctx: TestContext;
  let client: Client;
  before(async () => {
    ctx = await createTestApp();
    const editor: User = await makeUser(ctx.db);
    client = await Client.signedIn(ctx.app, editor);
    for (const [title, publisher, url] of LIBRARY) await makeSource(ctx.db, editor, { title, publisher, url });
  });
  after(() => ctx.close());

  const titles = async (q: string) => {
    const res = await client.getJson(`/sources?q=${encodeURIComponent(q)}`);
    assert.equal(res.status, 200, `${q}: ${res.status} ${res.text.slice(0, 200)}`);
    return (res.body.sources as { title: string }[]).map((s) => s.title).sort();
  };

  for (const [q, expected] of CASES) {
    test(`“${q}” finds ${expected.length ? expected.join(', ') : 'nothing'}`, async () => {
      assert.deepEqual(await titles(q), [...expected].sort());
    });
  }

  test('odd input is answered as a search, on the page, in JSON and in the evidence search', async () => {
    for (const q of [...ODD, ...CASES.map(([c]) => c)]) {
      await titles(q);
      const page = await client.get(`/sources?q=${encodeURIComponent(q)}`);
      assert.equal(page.status, 200, q);
      const api = await client.get(`/api/sources?q=${encodeURIComponent(q)}`);
      assert.equal(api.status, 200, q);
    }
  });
});
