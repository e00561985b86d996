import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { anchorAt, locateQuote, reanchor } from '../../server/claims/anchor.ts';

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
