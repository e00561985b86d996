import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { anchorAt, locateQuote, MAX_OCCURRENCES, reanchor } from '../../server/claims/anchor.ts';
import { findAll } from '../../server/claims/find-text.ts';
import { LogClaimForm } from '../../server/claims/schemas.ts';

describe('locating a quote in a report body', () => {
  const body = 'The cat sat. The dog ran. The cat sat again, and the cat sat once more.';

  test('offsets that match the text are used as they are', () => {
    const r = locateQuote(body, { exact: 'The dog ran.', start: 13, end: 25 });
    assert.deepEqual(r, { ok: true, anchor: anchorAt(body, 13, 25) });
  });

  test('offsets that do not match are ignored and the text is searched', () => {
    const r = locateQuote(body, { exact: 'The dog ran.', start: 0, end: 12 });
    assert.ok(r.ok);
    assert.equal(r.anchor.start, 13);
  });

  test('a quote not in the body is not found', () => {
    assert.deepEqual(locateQuote(body, { exact: 'The bird flew.' }), { ok: false, reason: 'not_found', occurrences: 0 });
  });

  test('a repeated quote without context is ambiguous', () => {
    assert.deepEqual(locateQuote(body, { exact: 'cat sat' }), { ok: false, reason: 'ambiguous', occurrences: 3 });
  });

  test('a repeated quote is chosen by its prefix and suffix', () => {
    const second = body.indexOf('cat sat again');
    const r = locateQuote(body, { exact: 'cat sat', prefix: 'dog ran. The ', suffix: ' again' });
    assert.ok(r.ok);
    assert.equal(r.anchor.start, second);
    const third = body.lastIndexOf('cat sat');
    const r3 = locateQuote(body, { exact: 'cat sat', prefix: 'and the ', suffix: ' once' });
    assert.ok(r3.ok);
    assert.equal(r3.anchor.start, third);
  });

  test('context that fits two repeats equally is still ambiguous', () => {
    const twice = 'A said: yes. B said: yes.';
    assert.equal(locateQuote(twice, { exact: 'yes', prefix: 'said: ', suffix: '.' }).ok, false);
  });

  test('the anchor keeps 32 characters of context on each side', () => {
    const long = 'x'.repeat(50) + 'QUOTE' + 'y'.repeat(50);
    const r = locateQuote(long, { exact: 'QUOTE' });
    assert.ok(r.ok);
    assert.equal(r.anchor.prefix, 'x'.repeat(32));
    assert.equal(r.anchor.suffix, 'y'.repeat(32));
  });

  const unicode: [string, string, string][] = [
    ['curly quotes', 'He said “we feel heard” and left; Trump’s envoy agreed.', 'Trump’s envoy'],
    ['Cyrillic', 'Кирилл Дмитриев сказал: «Позиция России услышана».', '«Позиция России услышана»'],
    ['emoji (surrogate pairs)', 'Reaction 👍🏽 then the 🇺🇦 flag and “Trump’s plan” 🙂 here.', '“Trump’s plan” 🙂'],
    ['combining characters', 'Zoë said the café’s owner, José, was right.'.normalize('NFC'), 'café’s owner, José'],
  ];
  for (const [name, text, quote] of unicode) {
    test(`${name}: offsets are UTF-16 code units, as in the browser`, () => {
      const at = text.indexOf(quote);
      assert.ok(at > 0);
      const r = locateQuote(text, { exact: quote, start: at, end: at + quote.length });
      assert.ok(r.ok);
      assert.equal(r.anchor.start, at);
      assert.equal(r.anchor.end - r.anchor.start, quote.length, 'length in UTF-16 code units');
      assert.equal(text.slice(r.anchor.start, r.anchor.end), quote);
      const searched = locateQuote(text, { exact: quote });
      assert.ok(searched.ok);
      assert.equal(searched.anchor.start, at);
    });
  }
});

describe('re-anchoring after a revision', () => {
  const before = 'First paragraph.\n\nThe envoy said the plan was heard.\n\nLast paragraph.';
  const anchor = anchorAt(before, before.indexOf('The envoy'), before.indexOf('heard.') + 6);

  test('a quote that moved is found at its new place', () => {
    const after = 'A new opening paragraph was added.\n\nFirst paragraph.\n\nLast paragraph.\n\nThe envoy said the plan was heard.';
    const moved = reanchor(after, anchor);
    assert.ok(moved);
    assert.equal(after.slice(moved.start, moved.end), anchor.exact);
  });

  test('a quote that was deleted is not found', () => {
    assert.equal(reanchor('First paragraph.\n\nLast paragraph.', anchor), null);
  });

  test('among repeats, the one with the same context wins', () => {
    const a = anchorAt('x said yes. y said yes.', 'x said yes. y said '.length, 'x said yes. y said yes'.length);
    const revised = 'Intro. x said yes. z said yes. y said yes.';
    const r = reanchor(revised, a);
    assert.ok(r);
    assert.equal(r.start, revised.lastIndexOf('yes'));
  });
});

describe('quote search on crafted input', () => {
  // A body near the 1 MB limit made of one letter, and a long quote of it: every
  // offset is a match. Searching for every one took seconds and blocked the server.
  const body = 'a'.repeat(999_000);
  const quote = 'a'.repeat(5_000);

  test('a quote repeated at every offset is ambiguous, counted only up to the cap', () => {
    const r = locateQuote(body, { exact: quote });
    assert.equal(r.ok, false);
    assert.ok(!r.ok && r.reason === 'ambiguous');
    assert.equal(r.occurrences, MAX_OCCURRENCES + 1, 'more than the cap is reported as cap + 1');
  });

  test('a quote that differs from the body in one letter in the middle is not found (the search is linear, not quadratic)', () => {
    const crafted = 'a'.repeat(2_500) + 'b' + 'a'.repeat(2_499);
    assert.deepEqual(locateQuote(body, { exact: crafted }), { ok: false, reason: 'not_found', occurrences: 0 });
    assert.equal(reanchor(body, { exact: crafted, prefix: '', suffix: '', start: 0, end: crafted.length }), null);
  });

  test('among more repeats than the cap, the one whose whole context occurs once is chosen', () => {
    const at = 600_000;
    const marked = body.slice(0, at - 6) + 'PREFIX' + quote + 'SUFFIX' + body.slice(at + quote.length + 6);
    const r = locateQuote(marked, { exact: quote, prefix: 'PREFIX', suffix: 'SUFFIX' });
    assert.ok(r.ok);
    assert.equal(r.anchor.start, at);
    const moved = reanchor(marked, { exact: quote, prefix: 'PREFIX', suffix: 'SUFFIX', start: 10, end: 10 + quote.length });
    assert.equal(moved?.start, at);
  });

  test('re-anchoring a quote repeated more often than the cap, without a telling context, flags it', () => {
    assert.equal(reanchor(body, { exact: quote, prefix: 'a'.repeat(32), suffix: 'a'.repeat(32), start: 500_000, end: 505_000 }), null);
  });

  test('the search finds overlapping matches and stops at the limit', () => {
    assert.deepEqual(findAll('aaaa', 'aa', 10), [0, 1, 2]);
    assert.deepEqual(findAll('abcabcabc', 'abc', 2), [0, 3]);
    assert.deepEqual(findAll('abc', 'abcd', 5), []);
    assert.deepEqual(findAll('abababac', 'ababac', 5), [2]);
  });
});

describe('context never splits an emoji', () => {
  const emoji = '\u{1F600}'; // two UTF-16 code units

  test('an emoji 31 code units before and after the quote is left out of the context, not cut in half', () => {
    const body = emoji + 'x'.repeat(31) + 'QUOTE' + 'y'.repeat(31) + emoji;
    const start = body.indexOf('QUOTE');
    const a = anchorAt(body, start, start + 5);
    assert.equal(a.prefix, 'x'.repeat(31));
    assert.equal(a.suffix, 'y'.repeat(31));
    assert.ok(a.prefix.isWellFormed() && a.suffix.isWellFormed());
  });

  test('an emoji 32 code units before and after the quote is kept whole', () => {
    const body = 'z' + emoji + 'x'.repeat(30) + 'QUOTE' + 'y'.repeat(30) + emoji + 'z';
    const start = body.indexOf('QUOTE');
    const a = anchorAt(body, start, start + 5);
    assert.equal(a.prefix, emoji + 'x'.repeat(30));
    assert.equal(a.suffix, 'y'.repeat(30) + emoji);
  });

  test('context sent with half an emoji at its far edge loses that half instead of storing U+FFFD', () => {
    const prefix = emoji.slice(1) + 'x'.repeat(31); // what a browser cutting 32 units sends
    const suffix = 'y'.repeat(31) + emoji.slice(0, 1);
    const parsed = LogClaimForm.parse({ quote: 'QUOTE', statement: 'S', kind: 'factual', quotePrefix: prefix, quoteSuffix: suffix });
    assert.equal(parsed.quotePrefix, 'x'.repeat(31));
    assert.equal(parsed.quoteSuffix, 'y'.repeat(31));
  });

  test('long context keeps the part next to the quote: the end of the prefix and the start of the suffix', () => {
    const prefix = 'far '.repeat(30) + 'near the quote ';
    const suffix = ' right after' + ' far'.repeat(30);
    const parsed = LogClaimForm.parse({ quote: 'QUOTE', statement: 'S', kind: 'factual', quotePrefix: prefix, quoteSuffix: suffix });
    assert.equal(parsed.quotePrefix, prefix.slice(-64));
    assert.ok(parsed.quotePrefix.endsWith('near the quote '));
    assert.equal(parsed.quoteSuffix, suffix.slice(0, 64));
    assert.ok(parsed.quoteSuffix.startsWith(' right after'));
    const cut = LogClaimForm.parse({ quote: 'QUOTE', statement: 'S', kind: 'factual', quotePrefix: emoji + 'p'.repeat(63), quoteSuffix: 's'.repeat(63) + emoji });
    assert.equal(cut.quotePrefix, 'p'.repeat(63), 'an emoji across the 64-unit edge is left out, not cut in half');
    assert.equal(cut.quoteSuffix, 's'.repeat(63));
  });
});

describe('re-anchoring a short quote whose surroundings changed', () => {
  const before = 'The minister presented the plan to parliament on Tuesday.\n\nOther news followed.';
  const start = before.indexOf('the plan');
  const short = anchorAt(before, start, start + 'the plan'.length);

  test('when the only remaining "the plan" sits in a different sentence, the claim is flagged, not attached to it', () => {
    const after = 'Critics rejected the plan outright.\n\nOther news followed.';
    assert.equal(reanchor(after, short), null);
  });

  test('when its sentence only moved, the short quote follows it', () => {
    const after = 'A new first paragraph.\n\nThe minister presented the plan to parliament on Tuesday.';
    assert.equal(reanchor(after, short)?.start, after.indexOf('the plan'));
  });

  test('a long quote is re-attached to its only remaining place even when its surroundings changed', () => {
    const longStart = before.indexOf('presented the plan to parliament');
    const long = anchorAt(before, longStart, longStart + 'presented the plan to parliament'.length);
    const after = 'Yesterday the minister presented the plan to parliament, to jeers.';
    assert.equal(reanchor(after, long)?.start, after.indexOf('presented the plan to parliament'));
  });
});
