import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { outletOf } from '../../server/sources/outlets.ts';

/** Which outlet a source belongs to: the editor's word, else the address's registrable domain, else the publisher. */
describe('outlets', () => {
  const cases: [string, { url: string | null; publisher: string | null; outlet?: string | null }, string | null][] = [
    ['a subdomain is its site', { url: 'https://news.example.com/a', publisher: null }, 'example.com'],
    ['www. is the same site', { url: 'https://www.reuters.com/world/x', publisher: 'Thomson Reuters' }, 'reuters.com'],
    ['a co.uk-style suffix keeps the name before it', { url: 'https://news.bbc.co.uk/2/hi', publisher: 'BBC' }, 'bbc.co.uk'],
    ['a deeper public suffix (com.au)', { url: 'https://www.abc.net.au/news', publisher: null }, 'abc.net.au'],
    ['a blog on a shared host is its own outlet', { url: 'https://someone.blogspot.com/post', publisher: null }, 'someone.blogspot.com'],
    ['a Unicode domain, shown in Unicode', { url: 'https://nachrichten.bücher.de/x', publisher: null }, 'bücher.de'],
    ['a Cyrillic domain', { url: 'https://новости.пример.рф/x', publisher: null }, 'пример.рф'],
    ['an IP address has no domain: the publisher decides', { url: 'http://192.0.2.10/report', publisher: 'Ministry' }, 'Ministry'],
    ['no address: the publisher', { url: null, publisher: 'The Kyiv Independent' }, 'The Kyiv Independent'],
    ['the outlet an editor named wins', { url: 'https://apnews.com/x', publisher: 'AP', outlet: 'Associated Press' }, 'Associated Press'],
    ['nothing known', { url: null, publisher: '  ' }, null],
  ];
  for (const [situation, source, name] of cases) {
    test(`${situation}: ${name ?? 'unknown'}`, () => assert.equal(outletOf(source)?.name ?? null, name));
  }

  test('publisher variants are one outlet; a domain and a name are not compared', () => {
    const key = (publisher: string) => outletOf({ url: null, publisher })!.key;
    assert.equal(key('The Guardian'), key('guardian.'));
    assert.equal(key('Le Monde'), key('LE  MONDE'));
    assert.notEqual(key('Guardian'), key('Observer'));
    assert.equal(outletOf({ url: 'https://a.bbc.co.uk/', publisher: 'x' })!.key, outletOf({ url: 'http://www.bbc.co.uk/', publisher: 'y' })!.key);
  });
});
