import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { normaliseSourceUrl } from '../../server/sources/source-urls.ts';

describe('normalising source URLs', () => {
  const same: [string, string][] = [
    ['https://Example.com/a?utm_source=x#top', 'https://example.com/a'],
    ['HTTPS://EXAMPLE.COM:443/a/', 'https://example.com/a'],
    ['http://example.com:80', 'http://example.com/'],
    ['https://example.com/a?b=2&a=1&fbclid=abc', 'https://example.com/a?a=1&b=2'],
    ['https://example.com/a?utm_medium=email&utm_campaign=c&gclid=1', 'https://example.com/a'],
    ['https://example.com/path//', 'https://example.com/path'],
    ['https://bücher.example/straße', 'https://xn--bcher-kva.example/stra%C3%9Fe'],
    ['  https://example.com/x  ', 'https://example.com/x'],
  ];
  for (const [input, expected] of same) {
    test(`${input} -> ${expected}`, () => assert.equal(normaliseSourceUrl(input), expected));
  }

  test('the two forms of the acceptance example are one URL', () => {
    assert.equal(normaliseSourceUrl('https://Example.com/a?utm_source=x#top'), normaliseSourceUrl('https://example.com/a'));
  });

  test('a different port or path stays different', () => {
    assert.notEqual(normaliseSourceUrl('https://example.com:8443/a'), normaliseSourceUrl('https://example.com/a'));
    assert.notEqual(normaliseSourceUrl('https://example.com/a'), normaliseSourceUrl('https://example.com/b'));
  });

  for (const bad of ['javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'ftp://example.com/file', 'vbscript:x', 'not a url', 'https://user:pw@example.com/']) {
    test(`${bad} is refused with a message`, () => {
      const result = normaliseSourceUrl(bad);
      assert.equal(typeof result, 'object');
      assert.match((result as { error: string }).error, /web address|Remove the user name/);
    });
  }
});
