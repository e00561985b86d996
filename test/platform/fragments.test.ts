import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createFragments } from '../../server/platform/fragments.ts';
import { STATUS_LABELS } from '../../server/claims/statuses.ts';
import { RELIABILITY_LABELS, CREDIBILITY_LABELS } from '../../server/sources/ratings.ts';

const VIEWS = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'views');
const labels = { status: STATUS_LABELS, reliability: RELIABILITY_LABELS, credibility: CREDIBILITY_LABELS };

describe('fragments: the small partials lists repeat per row', () => {
  const fragment = createFragments(VIEWS, { labels }, { cache: true });

  test('a status badge says the status in words', () => {
    assert.equal(fragment('status', { status: 'in_review' }).trim(), '<span class="badge status status--in_review">In review</span>');
  });

  test('a rating badge carries both definitions as its tooltip', () => {
    const html = fragment('rating', { reliability: 'B', credibility: 2 });
    assert.match(html, /class="badge rating rating--strong"/);
    assert.match(html, />B2<\/abbr>/);
    assert.match(html, /title="B · Usually reliable: [^"]+ 2 · Probably true: [^"]+"/);
  });

  test('what a fragment prints is escaped like any view', () => {
    const html = fragment('progress', { counts: { draft: 1 }, total: 1, labels: { status: { draft: '<b>Draft</b>' } } });
    assert.match(html, /1 &lt;b&gt;draft&lt;\/b&gt;/);
    assert.doesNotMatch(html, /<b>/);
  });

  test('an unknown fragment is an error, not an empty string', () => {
    assert.throws(() => fragment('nope' as 'status', {}), /unknown fragment/);
  });
});
