import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { User } from '../../server/accounts/users.repo.ts';
import { wordDiff } from '../../server/reports/text-diff.ts';
import { appWithEditor, createTestApp, type TestContext } from '../support/app.ts';
import { Client } from '../support/client.ts';
import { makeClaim, makeReport, makeUser } from '../support/factories.ts';

const ORIGINAL = 'The envoy visited Miami between October 24 and 26.\n\nThe summit in Budapest remains on hold.\n\nOfficials gave no date.';

/** The section of a page under the heading with this id, up to the next section. */
function section(html: string, headingId: string): string {
  const at = html.indexOf(`id="${headingId}"`);
  assert.ok(at >= 0, `the page has #${headingId}`);
  const end = html.indexOf('</section>', at);
  return html.slice(at, end);
}

describe('correcting a report after a colleague corrected it', () => {
  let ctx: TestContext;
  let editor: User;
  let colleague: User;
  let client: Client;
  let other: Client;
  before(async () => {
    ctx = await createTestApp();
    editor = await makeUser(ctx.db, { role: 'editor', displayName: 'Eli Editor' });
    colleague = await makeUser(ctx.db, { role: 'editor', displayName: 'Cora <Colleague>' });
    client = await Client.signedIn(ctx.app, editor);
    other = await Client.signedIn(ctx.app, colleague);
  });
  after(() => ctx.close());

  test('the edit form carries the revision its text was opened on', async () => {
    const reportId = await makeReport(ctx.db, editor, { body: ORIGINAL, title: 'Carries' });
    const page = await client.get(`/reports/${reportId}/edit`);
    assert.match(page.text, /name="baseRevision" value="1"/);
  });

  test('the 409 page shows, word by word and escaped, what the colleague changed, what the editor changed and what saving would undo; the editor’s text stays in the box with the current version', async () => {
    const reportId = await makeReport(ctx.db, editor, { body: ORIGINAL, title: 'Stale diff' });
    const fixed = ORIGINAL.replace('October 24 and 26', 'October 24 and 27 <b>');
    const saved = await other.post(`/reports/${reportId}`, { title: 'Stale diff', body: fixed, version: 1, baseRevision: 1 });
    assert.equal(saved.status, 303);
    const mine = ORIGINAL.replace('remains on hold', 'is on hold for now');
    const res = await client.post(`/reports/${reportId}`, { title: 'Stale diff', body: mine, version: 1, baseRevision: 1 });
    assert.equal(res.status, 409);

    const theirs = section(res.text, 'theirs-heading');
    assert.match(theirs, /Changes saved by <span class="user-text">Cora &lt;Colleague&gt;<\/span> since you opened the form/);
    assert.match(theirs, /<del><span class="visually-hidden">\[removed: <\/span>26<span/);
    assert.match(theirs, /<ins><span class="visually-hidden">\[added: <\/span>27 &lt;b&gt;<span/);
    assert.doesNotMatch(theirs, /remains on hold<\/|is on hold/, 'the colleague did not touch the summit sentence');

    const yours = section(res.text, 'yours-changes-heading');
    assert.match(yours, /<del>[^]*?remains[^]*?<\/del>/);
    assert.match(yours, /<ins>[^]*?is[^]*?<\/ins>/);
    assert.doesNotMatch(yours, /27/, 'the editor’s own changes leave the colleague’s out');

    const saving = section(res.text, 'saving-heading');
    assert.match(saving, /<del><span class="visually-hidden">\[removed: <\/span>27 &lt;b&gt;<span/, 'saving as it is would undo the colleague’s fix, and says so');

    assert.match(res.text, /<textarea[^>]*name="body"[^>]*>[^<]*is on hold for now/);
    assert.match(res.text, /name="version" value="2"/);
    assert.match(res.text, /name="baseRevision" value="2"/);
    assert.ok(!res.text.includes('<b>.'), 'the colleague’s text is escaped');
  });

  test('saving the conflict page deliberately works: it is based on the current version', async () => {
    const reportId = await makeReport(ctx.db, editor, { body: ORIGINAL, title: 'Deliberate' });
    await other.post(`/reports/${reportId}`, { title: 'Deliberate', body: `${ORIGINAL} Later.`, version: 1, baseRevision: 1 });
    const stale = await client.post(`/reports/${reportId}`, { title: 'Deliberate', body: `${ORIGINAL} Mine.`, version: 1, baseRevision: 1 });
    assert.equal(stale.status, 409);
    const version = /name="version" value="(\d+)"/.exec(stale.text)![1]!;
    const again = await client.post(`/reports/${reportId}`, { title: 'Deliberate', body: `${ORIGINAL} Later. Mine.`, version, baseRevision: /name="baseRevision" value="(\d+)"/.exec(stale.text)![1]! });
    assert.equal(again.status, 303);
    assert.equal((await ctx.db('reports').where({ id: reportId }).first()).body, `${ORIGINAL} Later. Mine.`);
  });

  test('a colleague who changed only the title is named, and the page says the text did not change', async () => {
    const reportId = await makeReport(ctx.db, editor, { body: ORIGINAL, title: 'Old title' });
    await other.post(`/reports/${reportId}`, { title: 'New title', body: ORIGINAL, version: 1, baseRevision: 1 });
    const res = await client.post(`/reports/${reportId}`, { title: 'Old title', body: `${ORIGINAL} Added.`, version: 1, baseRevision: 1 });
    assert.equal(res.status, 409);
    const theirs = section(res.text, 'theirs-heading');
    assert.match(theirs, /Cora &lt;Colleague&gt;/);
    assert.match(theirs, /No change to the text/);
    assert.match(theirs, /<dt>Title<\/dt><dd class="user-text">Now: New title<br>Yours: Old title/);
  });

  test('a form without the revision it was opened on still shows what saving would change', async () => {
    const reportId = await makeReport(ctx.db, editor, { body: ORIGINAL, title: 'No base' });
    await other.post(`/reports/${reportId}`, { title: 'No base', body: ORIGINAL.replace('no date', 'a date'), version: 1 });
    const res = await client.post(`/reports/${reportId}`, { title: 'No base', body: ORIGINAL, version: 1 });
    assert.equal(res.status, 409);
    assert.match(res.text, /does not say which revision it was opened on/);
    assert.match(section(res.text, 'saving-heading'), /<del><span class="visually-hidden">\[removed: <\/span>a<span/);
  });
});

describe('what a saved correction says about the claims', () => {
  let ctx: TestContext;
  let editor: User;
  let client: Client;
  before(async () => {
    ({ ctx, editor, client } = await appWithEditor());
  });
  after(() => ctx.close());

  const flash = async (reportId: number) => {
    const page = await client.get(`/reports/${reportId}`);
    return /<div class="notice[^"]*"[^>]*>\s*(?:<p>)?([^<]*)/.exec(page.text)?.[1]?.trim() ?? '';
  };
  const quotes = ['The envoy visited Miami', 'The summit in Budapest remains on hold.', 'Officials gave no date.'];

  const cases: [string, string, (body: string) => string, RegExp][] = [
    ['nothing moved', 'All 3 claims still point at their quotes', (b) => `A new first paragraph.\n\n${b}`, /^Saved as revision 2\. All 3 claims still point at their quotes\.$/],
    ['one quote lost', '1 claim’s quote', (b) => b.replace('Officials gave no date.', 'Nothing more.'), /^Saved as revision 2\. 1 claim’s quote was not found in the new text: it is flagged\. The other 2 still point at their quotes\.$/],
    ['two quotes lost', 'plural', (b) => b.replace('Officials gave no date.', 'Nothing more.').replace('The summit in Budapest remains on hold.', 'Gone.'), /^Saved as revision 2\. 2 claims’ quotes were not found in the new text: they are flagged\. The other claim still points at its quote\.$/],
  ];
  for (const [what, , change, expected] of cases) {
    test(`after a correction where ${what}, the message says so in plain words`, async () => {
      const reportId = await makeReport(ctx.db, editor, { body: ORIGINAL, title: what });
      for (const quote of quotes) await makeClaim(ctx.db, editor, reportId, { quote });
      const res = await client.post(`/reports/${reportId}`, { title: what, body: change(ORIGINAL), version: 1, baseRevision: 1 });
      assert.equal(res.status, 303);
      assert.match(await flash(reportId), expected);
    });
  }

  test('one claim that kept its quote is told in the singular', async () => {
    const reportId = await makeReport(ctx.db, editor, { body: ORIGINAL, title: 'Singular' });
    await makeClaim(ctx.db, editor, reportId, { quote: quotes[0] });
    await client.post(`/reports/${reportId}`, { title: 'Singular', body: `${ORIGINAL} More.`, version: 1 });
    assert.equal(await flash(reportId), 'Saved as revision 2. Its claim still points at its quote.');
  });

  test('an emptied text on the correction form asks for the text, not for an upload the form does not have', async () => {
    const reportId = await makeReport(ctx.db, editor, { body: ORIGINAL, title: 'Emptied' });
    const res = await client.post(`/reports/${reportId}`, { title: 'Emptied', body: '  ', version: 1 });
    assert.equal(res.status, 400);
    assert.match(res.text, /id="field-body-error"[^>]*>[^]*?Enter the report’s text/);
    assert.doesNotMatch(res.text, /upload a file/i);
  });
});

describe('word diffs', () => {
  const cases: [string, string, string, string][] = [
    ['one word changed', 'the plan has 28 points', 'the plan has 27 points', 'the plan has [-28-]{+27+} points'],
    ['a word added', 'talks resume', 'talks resume today', 'talks resume{+ today+}'],
    ['nothing changed', 'same text', 'same text', ''],
    ['an emoji kept whole', 'cheers 🎉 all', 'cheers 🎊 all', 'cheers [-🎉-]{+🎊+} all'],
  ];
  for (const [what, before, after, expected] of cases) {
    test(`${what}: ${expected || '(no parts)'}`, () => {
      const parts = wordDiff(before, after)!;
      const shown = parts.map((p) => (p.kind === 'gap' ? '…' : p.kind === 'del' ? `[-${p.text}-]` : p.kind === 'ins' ? `{+${p.text}+}` : p.text)).join('');
      assert.equal(shown, expected);
    });
  }

  test('a long unchanged stretch is left out between changes, cut on spaces', () => {
    const filler = Array.from({ length: 200 }, (_, i) => `word${i}`).join(' ');
    const parts = wordDiff(`Alpha ${filler} omega`, `Beta ${filler} omega!`)!;
    assert.ok(parts.some((p) => p.kind === 'gap'));
    for (const p of parts) if (p.kind === 'same') assert.ok(p.text.length < 200 && !/^\S*\dword/.test(p.text));
    assert.deepEqual(parts.filter((p) => p.kind !== 'same' && p.kind !== 'gap').map((p) => p.kind), ['del', 'ins', 'ins']);
  });
});
