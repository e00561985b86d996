import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { User } from '../../server/accounts/users.repo.ts';
import { highlightBody, type HighlightClaim, type HighlightSuggestion, type Part } from '../../server/claims/highlight.ts';
import type { Status } from '../../server/claims/statuses.ts';
import { appWithEditor, type TestContext } from '../support/app.ts';
import { Client } from '../support/client.ts';
import { makeClaim, makeReport } from '../support/factories.ts';

const claim = (id: number, start: number, end: number, status: Status = 'draft'): HighlightClaim => ({ id, start, end, status });

/** A paragraph's parts as a short string: [text|ids>opened] for marks, #id for labels, {text}?n for suggestions. */
function shown(body: string, claims: HighlightClaim[], suggestions: HighlightSuggestion[] = []): string {
  return highlightBody(body, claims, suggestions)
    .map((p) => p.parts.map(partText).join(''))
    .join(' / ');
}

function partText(part: Part): string {
  switch (part.kind) {
    case 'text':
      return part.text;
    case 'label':
      return `#${part.claim.id}`;
    case 'mark':
      return `[${part.text}|${part.claimIds.join(',')}>${part.claim.id}${part.overlap ? '*' : ''}]`;
    case 'suggested':
      return `{${part.text}}`;
    case 'suggestion-label':
      return `?${part.suggestion.n}`;
  }
}

describe('highlighting quotes in the report text', () => {
  //                 0         1         2         3
  //                 0123456789012345678901234567890123456
  const body = 'The summit in Budapest is on hold now.';
  const cases: [string, HighlightClaim[], string][] = [
    ['one claim', [claim(1, 4, 10)], 'The [summit|1>1]#1 in Budapest is on hold now.'],
    ['two apart', [claim(1, 0, 3), claim(2, 14, 22)], '[The|1>1]#1 summit in [Budapest|2>2]#2 is on hold now.'],
    ['nested: the inner opens, the outer shows its whole extent', [claim(1, 4, 37), claim(2, 14, 22)], 'The [summit in |1>1][Budapest|1,2>2*]#2[ is on hold now|1>1]#1.'],
    ['crossing: the shorter opens the shared part', [claim(1, 0, 22), claim(2, 14, 29)], '[The summit in |1>1][Budapest|1,2>2*]#1[ is on |2>2]#2hold now.'],
    ['same start: the shorter opens, each label where its quote ends', [claim(1, 4, 22), claim(2, 4, 10)], 'The [summit|1,2>2*]#2[ in Budapest|1>1]#1 is on hold now.'],
    ['the same range twice: one mark names both, the first logged opens', [claim(1, 4, 10), claim(2, 4, 10)], 'The [summit|1,2>1*]#1#2 in Budapest is on hold now.'],
    ['three deep', [claim(1, 0, 37), claim(2, 4, 22), claim(3, 14, 22)], '[The |1>1][summit in |1,2>2*][Budapest|1,2,3>3*]#2#3[ is on hold now|1>1]#1.'],
    ['an empty range is ignored', [claim(1, 5, 5)], 'The summit in Budapest is on hold now.'],
  ];
  for (const [what, claims, expected] of cases) {
    test(what, () => assert.equal(shown(body, claims), expected));
  }

  test('a quote across paragraphs is cut at the paragraph break, with its label once, at its end', () => {
    assert.equal(shown('First para.\n\nSecond para.', [claim(1, 6, 19)]), 'First [para.|1>1] / [Second|1>1]#1 para.');
  });

  test('a segment lists its claims in text order, each with its own status', () => {
    const [p] = highlightBody(body, [claim(2, 14, 22, 'verified'), claim(1, 4, 37, 'refuted')]);
    const shared = p!.parts.find((part) => part.kind === 'mark' && part.overlap);
    assert.ok(shared && shared.kind === 'mark');
    assert.deepEqual(shared.claims.map((c) => [c.id, c.status]), [[1, 'refuted'], [2, 'verified']]);
    assert.equal(shared.claim.status, 'verified', 'coloured by the most specific claim');
  });
});

describe('suggested sentences among the highlights', () => {
  const body = 'One. Two said 3. Four.\n\nFive said 6.';
  const sg = (n: number, start: number, end: number): HighlightSuggestion => ({ n, start, end });

  test('a suggestion is marked with its label after it, in its paragraph', () => {
    assert.equal(shown(body, [], [sg(1, 5, 16), sg(2, 24, 36)]), 'One. {Two said 3.}?1 Four. / {Five said 6.}?2');
  });

  test('a sentence a claim already quotes, even in part, is not suggested; the others still are', () => {
    assert.equal(shown(body, [claim(7, 9, 13)], [sg(1, 5, 16), sg(2, 24, 36)]), 'One. Two [said|7>7]#7 3. Four. / {Five said 6.}?2');
  });
});

describe('the report page with overlapping claims', () => {
  let ctx: TestContext;
  let editor: User;
  let client: Client;
  before(async () => {
    ({ ctx, editor, client } = await appWithEditor());
  });
  after(() => ctx.close());

  test('a shared passage is marked as such and names every claim over it; every claim has a link; labels are out of the tab order', async () => {
    const reportId = await makeReport(ctx.db, editor, { body: 'Officials said the planned summit in Budapest remains on hold for now.\n\nNo date was given.' });
    const outer = await makeClaim(ctx.db, editor, reportId, { quote: 'the planned summit in Budapest remains on hold for now' });
    const inner = await makeClaim(ctx.db, editor, reportId, { quote: 'summit in Budapest' });
    const other = await makeClaim(ctx.db, editor, reportId, { quote: 'No date was given.' });
    const res = await client.get(`/reports/${reportId}`);
    assert.equal(res.status, 200);

    const marks = [...res.text.matchAll(/<mark class="([^"]+)" data-claim-id="(\d+)" data-claim-ids="([^"]+)"(?: title="([^"]*)")?>([^<]*)<\/mark>/g)].map((m) => ({ cls: m[1], opens: Number(m[2]), ids: m[3], title: m[4], text: m[5] }));
    const shared = marks.find((m) => m.text === 'summit in Budapest');
    assert.ok(shared, 'the shared passage is one mark');
    assert.equal(shared.cls, 'hl hl--draft hl--overlap');
    assert.equal(shared.opens, inner, 'a click opens the more specific claim');
    assert.equal(shared.ids, `${outer} ${inner}`);
    assert.equal(shared.title, `Quoted by claims #${outer} (Draft), #${inner} (Draft). A click opens #${inner}.`);
    assert.deepEqual(marks.filter((m) => m.ids === String(outer)).map((m) => m.text), ['the planned ', ' remains on hold for now'], 'the outer claim is marked over its whole quote');
    assert.equal(marks.find((m) => m.text === 'No date was given.')?.cls, 'hl hl--draft', 'a passage of one claim is marked as before');

    for (const id of [outer, inner, other]) {
      assert.match(res.text, new RegExp(`<li class="claim-list__item" id="claim-${id}">\\s*(<input [^>]*data-bulk-item[^>]*> )?<a href="/claims/${id}"`), `claim #${id} is in the list beside the text`);
      assert.match(res.text, new RegExp(`<a class="hl-label[^"]*" href="/claims/${id}" tabindex="-1"`), `claim #${id} has its label, out of the tab order`);
    }
    assert.doesNotMatch(res.text, /<a class="hl-label(?![^>]*tabindex="-1")/, 'no label is a tab stop');
  });
});
