import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cleanSourceUrl, normaliseSourceUrl } from '../../server/sources/source-urls.ts';

describe('normalising source URLs', () => {
  const same: [string, string][] = [
    ['https://Example.com/a?utm_source=x#top', 'https://example.com/a'],
    ['HTTPS://EXAMPLE.COM:443/a/', 'https://example.com/a'],
    ['http://example.com:80', 'https://example.com/'],
    ['https://example.com/a?b=2&a=1&fbclid=abc', 'https://example.com/a?a=1&b=2'],
    ['https://example.com/a?utm_medium=email&utm_campaign=c&gclid=1', 'https://example.com/a'],
    ['https://example.com/path//', 'https://example.com/path'],
    ['https://bücher.example/straße', 'https://xn--bcher-kva.example/stra%C3%9Fe'],
    ['  https://example.com/x  ', 'https://example.com/x'],
    // A leading "www." is the same host: sites serve the same article on both.
    ['https://www.axios.com/x', 'https://axios.com/x'],
    ['https://WWW.Axios.com/x/?utm_source=newsletter', 'https://axios.com/x'],
    ['http://www.example.com:8080/a', 'https://example.com:8080/a'],
    ['https://www.www.example.com/', 'https://example.com/'],
    ['https://www.bücher.example/', 'https://xn--bcher-kva.example/'],
    // Only a leading "www." label, and only while a host name with a dot is left.
    ['https://www.com/', 'https://www.com/'],
    ['https://www.www.com/', 'https://www.com/'],
    ['https://wwwexample.com/', 'https://wwwexample.com/'],
    ['https://www2.example.com/', 'https://www2.example.com/'],
    ['https://news.www.example.com/', 'https://news.www.example.com/'],
    ['https://example.com/www.x', 'https://example.com/www.x'],
    ['https://localhost/www.', 'https://localhost/www.'],
  ];
  for (const [input, expected] of same) {
    test(`${input} -> ${expected}`, () => assert.equal(normaliseSourceUrl(input), expected));
  }

  test('the two forms of the acceptance example are one URL', () => {
    assert.equal(normaliseSourceUrl('https://Example.com/a?utm_source=x#top'), normaliseSourceUrl('https://example.com/a'));
  });

  test('http and https of the same address are one URL (the address that opens keeps its scheme)', () => {
    assert.equal(normaliseSourceUrl('http://example.com/a'), normaliseSourceUrl('https://example.com/a'));
    assert.equal(normaliseSourceUrl('http://www.example.com/a/'), 'https://example.com/a');
    assert.equal(cleanSourceUrl('http://example.com/a'), 'http://example.com/a');
  });

  test('https://axios.com/x and https://www.axios.com/x are one URL', () => {
    assert.equal(normaliseSourceUrl('https://www.axios.com/x'), normaliseSourceUrl('https://axios.com/x'));
  });

  // The address kept and opened: cleaned the same way, but with the host as typed.
  const cleaned: [string, string][] = [
    ['https://WWW.Axios.com/x/?utm_source=newsletter#top', 'https://www.axios.com/x'],
    ['https://axios.com/x', 'https://axios.com/x'],
    ['HTTPS://EXAMPLE.COM:443/a/?b=2&a=1', 'https://example.com/a?a=1&b=2'],
  ];
  for (const [input, expected] of cleaned) {
    test(`${input} is kept and opened as ${expected}`, () => assert.equal(cleanSourceUrl(input), expected));
  }

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
