import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { describeTimeline } from '../../server/pages/claim-timeline.ts';
import type { TimelineEntry } from '../../server/audit/events.repo.ts';

let id = 0;
const at = (minute: number) => new Date(Date.UTC(2026, 10, 20, 9, minute));
const exported = (format: string, actorName: string, minute: number): TimelineEntry => ({
  kind: 'export', id: ++id, type: 'exported', action: format, from: null, to: null, comment: null, data: { format, rows: 3 }, actorName, at: at(minute),
});
const commented = (minute: number): TimelineEntry => ({
  kind: 'comment', id: ++id, type: 'comment', action: null, from: null, to: null, comment: 'Looks right.', data: {}, actorName: 'Rick Reviewer', at: at(minute),
});

describe('the claim timeline in words', () => {
  test('one export is told with its format in words', () => {
    const [entry] = describeTimeline([exported('claimreview', 'Eve Editor', 1)]);
    assert.equal(entry?.title, 'exported it in a claim sheet (ClaimReview)');
  });

  test('exports in a row become one entry: how many, which formats, who, dated at the latest', () => {
    const entries = describeTimeline([
      exported('html', 'Eve Editor', 1),
      exported('html', 'Eve Editor', 2),
      exported('csv', 'Rick Reviewer', 3),
      commented(4),
      exported('xlsx', 'Eve Editor', 5),
    ]);
    assert.deepEqual(
      entries.map((e) => [e.actorName, e.title, e.at.getUTCMinutes()]),
      [
        ['Eve Editor and Rick Reviewer', 'exported it in claim sheets 3 times (printable sheet ×2, CSV); the latest shown here', 3],
        ['Rick Reviewer', 'commented', 4],
        ['Eve Editor', 'exported it in a claim sheet (Excel)', 5],
      ],
    );
  });

  test('a download broken off is told on its own, not as an export, and not counted with the others', () => {
    const broken = { ...exported('xlsx', 'Eve Editor', 2), data: { format: 'xlsx', rows: 1, completed: false } };
    const entries = describeTimeline([exported('csv', 'Eve Editor', 1), broken, exported('csv', 'Eve Editor', 3), exported('json', 'Eve Editor', 4)]);
    assert.deepEqual(entries.map((e) => e.title), [
      'exported it in a claim sheet (CSV)',
      'started downloading a claim sheet (Excel) that did not finish',
      'exported it in claim sheets 2 times (CSV, JSON); the latest shown here',
    ]);
  });
});
