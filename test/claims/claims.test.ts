import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { User } from '../../server/accounts/users.repo.ts';
import { createTestApp, type TestContext } from '../support/app.ts';
import { Client } from '../support/client.ts';
import { makeClaim, makeClaimIn, makeEvidence, makeReport, makeUser } from '../support/factories.ts';
import { assertNoInjectedMarkup } from '../support/html.ts';
import { missingShared, readShared, xssPayloads } from '../support/shared.ts';

const FIXTURE = 'fixtures/report-28-point-plan.txt';

/** The claims of DESIGN.md's example table, by their exact quotes in the fixture. */
const DESIGN_CLAIMS = [
  { claimant: 'Axios (reporting)', kind: 'attributed', statement: 'The US administration has been working on a 28-point plan.', quote: 'The Donald Trump-led US administration has secretly been working on a 28-point plan' },
  { claimant: 'Russian officials', kind: 'attributed', statement: 'Russian officials are hopeful about the plan.', quote: 'Russian officials told the platform that they are "hopeful" about the plan' },
  { claimant: 'Kirill Dmitriev', kind: 'direct_quote', statement: 'Dmitriev said: "We feel the Russian position is really being heard."', quote: '"We feel the Russian position is really being heard."' },
  { claimant: null, kind: 'opinion', statement: 'Ukraine’s and its allies’ stance on the plan remains unclear.', quote: "Ukraine's and its allies' stance remains unclear" },
  { claimant: null, kind: 'factual', statement: 'Dmitriev was in Miami from October 24 to 26.', quote: 'visited Miami between October 24 and 26' },
  { claimant: null, kind: 'factual', statement: 'A planned summit in Budapest remains on hold.', quote: 'A planned summit in Budapest, however, remains on hold for now.' },
  { claimant: 'White House official', kind: 'attributed', statement: 'Briefings of European officials have started.', quote: 'they have started briefing European officials about the new plan' },
  { claimant: 'Axios', kind: 'factual', statement: 'Trump’s plan focuses on four main areas.', quote: 'Trump’s reported 28-point plan focuses on four main areas' },
] as const;

describe('logging claims from a report', () => {
  let ctx: TestContext;
  let editor: User;
  let client: Client;
  before(async () => {
    ctx = await createTestApp();
    editor = await makeUser(ctx.db, { role: 'editor' });
    client = await Client.signedIn(ctx.app, editor);
  });
  after(() => ctx.close());

  test('the claims of the DESIGN.md table are logged by exact quote from the fixture and read back with correct offsets', { skip: missingShared(FIXTURE) }, async () => {
    const text = readShared(FIXTURE)!;
    const imported = await client.post('/reports', { title: 'US has been working on a 28-point plan', outlet: 'Fixture', body: text });
    assert.equal(imported.status, 303);
    const reportId = Number(imported.headers.location!.split('/').pop());
    const body = text.normalize('NFC').trim();
    for (const c of DESIGN_CLAIMS) {
      const start = body.indexOf(c.quote);
      assert.ok(start >= 0, c.quote);
      // As the browser sends it: exact text, offsets in UTF-16 code units, 32 characters of context.
      const res = await client.post(`/reports/${reportId}/claims`, {
        quote: c.quote,
        quoteStart: start,
        quoteEnd: start + c.quote.length,
        quotePrefix: body.slice(Math.max(0, start - 32), start),
        quoteSuffix: body.slice(start + c.quote.length, start + c.quote.length + 32),
        statement: c.statement,
        claimant: c.claimant ?? '',
        kind: c.kind,
        tags: 'ukraine, russia',
      });
      assert.equal(res.status, 303, `${c.quote}: ${res.status}`);
    }
    const json = await client.getJson(`/reports/${reportId}`);
    assert.equal(json.status, 200);
    assert.equal(json.body.claims.length, DESIGN_CLAIMS.length);
    for (const claim of json.body.claims as { quote: string; quoteStart: number; quoteEnd: number; statement: string }[]) {
      assert.equal(body.slice(claim.quoteStart, claim.quoteEnd), claim.quote);
      const expected = DESIGN_CLAIMS.find((c) => c.statement === claim.statement)!;
      assert.equal(claim.quote, expected.quote);
      assert.equal(claim.quoteStart, body.indexOf(expected.quote));
    }
    const page = await client.get(`/reports/${reportId}`);
    assert.match(page.text, /class="hl hl--draft" data-claim-id="\d+"[^>]*>Trump’s reported 28-point plan focuses on four main areas<\/mark>/);
  });

  test('a pasted quote without offsets is found by the server', async () => {
    const reportId = await makeReport(ctx.db, editor, { body: 'One sentence here. The envoy visited Miami in October. Another one.' });
    const res = await client.post(`/reports/${reportId}/claims`, { quote: 'The envoy visited Miami in October.', statement: 'The envoy visited Miami.', kind: 'factual' });
    assert.equal(res.status, 303);
    const claim = await ctx.db('claims').where({ report_id: reportId }).first();
    assert.equal(claim.quote_start, 19);
    assert.equal(claim.quote_prefix, 'One sentence here. ');
    assert.equal(claim.quote_suffix, ' Another one.');
  });

  test('offsets that point elsewhere are not trusted: the quote is found where it really is', async () => {
    const reportId = await makeReport(ctx.db, editor, { body: 'Alpha beta gamma. Delta epsilon zeta.' });
    const res = await client.post(`/reports/${reportId}/claims`, { quote: 'Delta epsilon', quoteStart: 0, quoteEnd: 13, statement: 'S', kind: 'factual' });
    assert.equal(res.status, 303);
    assert.equal((await ctx.db('claims').where({ report_id: reportId }).first()).quote_start, 18);
  });

  const refusals: [string, Record<string, string | number>, RegExp][] = [
    ['offsets that do not match and a quote that is not in the body', { quote: 'The bridge closed in 2020', quoteStart: 4, quoteEnd: 29 }, /not in the report’s text/],
    ['a quote not in the body', { quote: 'Nobody said this at all' }, /not in the report’s text/],
    ['a repeated quote without enough context', { quote: 'said it opened in', quoteStart: 0, quoteEnd: 5 }, /appears 2 times/],
    ['a 2,000-character statement', { quote: 'the bridge opened in 2019', statement: 'x'.repeat(2000) }, /1,000 characters or fewer/],
    ['a missing statement', { quote: 'the bridge opened in 2019', statement: '  ' }, /Enter the checkable statement/],
    ['an unknown kind', { quote: 'the bridge opened in 2019', kind: 'rumour' }, /Choose what kind of claim/],
  ];
  for (const [what, form, message] of refusals) {
    test(`${what}: 400 with a message, the form kept, nothing stored`, async () => {
      const reportId = await makeReport(ctx.db, editor, { body: 'The minister said it opened in 2019. Critics said it opened in 2021. And the bridge opened in 2019 anyway.' });
      const res = await client.post(`/reports/${reportId}/claims`, { statement: 'A statement kept in the form', kind: 'factual', claimant: 'Kept claimant', ...form });
      assert.equal(res.status, 400);
      assert.match(res.text, message);
      assert.match(res.text, /There is a problem/);
      if (!('statement' in form)) assert.match(res.text, />A statement kept in the form<\/textarea>/);
      assert.match(res.text, /value="Kept claimant"/);
      assert.equal((await ctx.db('claims').where({ report_id: reportId })).length, 0);
      assert.equal((await ctx.db('claim_events').whereIn('claim_id', ctx.db('claims').select('id').where({ report_id: reportId }))).length, 0);
    });
  }

  test('logging writes a "created" event in the same transaction', async () => {
    const reportId = await makeReport(ctx.db, editor);
    const id = await makeClaim(ctx.db, editor, reportId);
    const events = await ctx.db('claim_events').where({ claim_id: id });
    assert.equal(events.length, 1);
    assert.equal(events[0].type, 'created');
    assert.equal(events[0].actor_id, editor.id);
  });

  test('an unknown report is 404, and a claim cannot be logged on it', async () => {
    assert.equal((await client.get('/reports/999999')).status, 404);
    assert.equal((await client.post('/reports/999999/claims', { quote: 'x', statement: 'y', kind: 'factual' })).status, 404);
    assert.equal((await client.get('/claims/999999')).status, 404);
    assert.equal((await client.get('/claims/not-a-number')).status, 404);
  });

  test('XSS payloads as statement and claimant are escaped on the report, claim and list pages', { skip: missingShared('data/xss-polyglots.txt') }, async () => {
    const payloads = xssPayloads();
    const body = payloads.join('\n\n');
    const reportId = await makeReport(ctx.db, editor, { title: payloads[0]!.slice(0, 300), body });
    for (const p of payloads) {
      const res = await client.post(`/reports/${reportId}/claims`, { quote: p, statement: p.slice(0, 1000), claimant: p.slice(0, 200), kind: 'factual' });
      assert.equal(res.status, 303, res.text.slice(0, 300));
    }
    const ids = (await ctx.db('claims').where({ report_id: reportId }).select('id')).map((r) => r.id as number);
    for (const path of [`/reports/${reportId}`, `/claims/${ids[0]}`, '/claims', `/claims?q=${encodeURIComponent('alert')}`, `/claims/${ids[1]}/edit`]) {
      const page = await client.get(path);
      assert.equal(page.status, 200, path);
      for (const p of payloads) assert.ok(!page.text.includes(p), `${path} shows a payload unescaped`);
      assertNoInjectedMarkup(page.text, path);
    }
  });
});

describe('quotes and statements in any script', () => {
  let ctx: TestContext;
  let editor: User;
  let client: Client;
  before(async () => {
    ctx = await createTestApp();
    editor = await makeUser(ctx.db, { role: 'editor' });
    client = await Client.signedIn(ctx.app, editor);
  });
  after(() => ctx.close());

  test('a quote repeated at every offset of a near-1 MB body is refused quickly with a capped count, and the server keeps answering', async () => {
    const reportId = await makeReport(ctx.db, editor, { body: 'a'.repeat(999_000) });
    const res = await client.post(`/reports/${reportId}/claims`, { quote: 'a'.repeat(5_000), statement: 'A statement kept', kind: 'factual' });
    assert.equal(res.status, 400);
    assert.match(res.text, /This quote appears more than 20 times in the report/);
    assert.match(res.text, />A statement kept<\/textarea>/);
    assert.equal((await client.get('/healthz')).status, 200);
    assert.equal((await ctx.db('claims').where({ report_id: reportId })).length, 0);
  });

  test('an emoji 31 code units before and after the quote is not stored as U+FFFD in its context', async () => {
    const emoji = '\u{1F600}';
    const body = `Intro ${emoji}${'x'.repeat(31)}The quoted words${'y'.repeat(31)}${emoji} end.`;
    const reportId = await makeReport(ctx.db, editor, { body });
    const start = body.indexOf('The quoted words');
    const end = start + 'The quoted words'.length;
    // Context as the browser cuts it: 32 code units, half an emoji at the far edge.
    const res = await client.post(`/reports/${reportId}/claims`, {
      quote: 'The quoted words', quoteStart: start, quoteEnd: end, quotePrefix: body.slice(start - 32, start), quoteSuffix: body.slice(end, end + 32), statement: 'S', kind: 'factual',
    });
    assert.equal(res.status, 303);
    const row = await ctx.db('claims').where({ report_id: reportId }).first();
    assert.equal(row.quote_prefix, 'x'.repeat(31));
    assert.equal(row.quote_suffix, 'y'.repeat(31));
    assert.ok(!row.quote_prefix.includes('\uFFFD') && !row.quote_suffix.includes('\uFFFD'));
  });

  test('a statement of 600 emoji is accepted: limits count characters, not UTF-16 units', async () => {
    const quote = '\u{1F44D}'.repeat(3_000); // 3,000 characters, 6,000 code units
    const reportId = await makeReport(ctx.db, editor, { body: `Reactions: ${quote} and more.` });
    const statement = '\u{1F600}'.repeat(600);
    const res = await client.post(`/reports/${reportId}/claims`, { quote, statement, kind: 'opinion' });
    assert.equal(res.status, 303, res.text.slice(0, 300));
    const row = await ctx.db('claims').where({ report_id: reportId }).first();
    assert.equal(row.statement, statement);
    assert.equal(row.quote, quote);
  });

  test('a statement of 1,001 emoji is refused with a message that says how characters are counted', async () => {
    const reportId = await makeReport(ctx.db, editor);
    const res = await client.post(`/reports/${reportId}/claims`, { quote: 'the bridge opened in 2019', statement: '\u{1F600}'.repeat(1_001), kind: 'factual' });
    assert.equal(res.status, 400);
    assert.match(res.text, /id="field-statement-error"[^>]*>[\s\S]*1,000 characters or fewer; it has 1,001 \(each letter, space or emoji counts as one\)/);
  });
});

describe('editing claims', () => {
  let ctx: TestContext;
  let editor: User;
  before(async () => {
    ctx = await createTestApp();
    editor = await makeUser(ctx.db, { role: 'editor' });
  });
  after(() => ctx.close());

  const form = (claim: { version: number }, changes: Record<string, string | number>) => ({
    statement: 'The bridge opened in 2019.',
    quote: 'the bridge opened in 2019',
    claimant: 'The minister',
    kind: 'factual',
    tags: '',
    priority: 1,
    version: claim.version,
    ...changes,
  });

  test('an edit is saved with an event holding the fields before and after', async () => {
    const client = await Client.signedIn(ctx.app, editor);
    const id = await makeClaim(ctx.db, editor, await makeReport(ctx.db, editor));
    const res = await client.post(`/claims/${id}`, form({ version: 1 }, { statement: 'The bridge opened in the year 2019.', tags: 'Infrastructure, bridges' }));
    assert.equal(res.status, 303);
    const row = await ctx.db('claims').where({ id }).first();
    assert.equal(row.statement, 'The bridge opened in the year 2019.');
    assert.deepEqual(row.tags, ['infrastructure', 'bridges']);
    assert.equal(row.version, 2);
    const event = await ctx.db('claim_events').where({ claim_id: id, type: 'edited' }).first();
    assert.deepEqual(event.data.changes.statement, { from: 'The bridge opened in 2019.', to: 'The bridge opened in the year 2019.' });
    assert.deepEqual(event.data.changes.tags, { from: [], to: ['infrastructure', 'bridges'] });
  });

  test('two sessions edit the same claim: the second save is a 409, the first is kept, the second user’s text is on the conflict page', async () => {
    const id = await makeClaim(ctx.db, editor, await makeReport(ctx.db, editor));
    const other = await makeUser(ctx.db, { role: 'editor' });
    const a = await Client.signedIn(ctx.app, editor);
    const b = await Client.signedIn(ctx.app, other);
    // Both open the edit form at version 1.
    assert.match((await a.get(`/claims/${id}/edit`)).text, /name="version" value="1"/);
    assert.match((await b.get(`/claims/${id}/edit`)).text, /name="version" value="1"/);
    assert.equal((await a.post(`/claims/${id}`, form({ version: 1 }, { statement: 'First save wins.' }))).status, 303);
    const second = await b.post(`/claims/${id}`, form({ version: 1 }, { statement: 'Second, unsaved text that must not be lost.' }));
    assert.equal(second.status, 409);
    assert.match(second.text, /Someone else changed this claim/);
    assert.match(second.text, /First save wins\./, 'the current version is shown');
    assert.match(second.text, /Second, unsaved text that must not be lost\./, 'the user’s text is kept');
    assert.match(second.text, /name="version" value="2"/, 'saving again is possible, deliberately');
    const row = await ctx.db('claims').where({ id }).first();
    assert.equal(row.statement, 'First save wins.');
  });

  test('editing the statement makes the editor an author', async () => {
    const id = await makeClaim(ctx.db, editor, await makeReport(ctx.db, editor));
    const reviewer = await makeUser(ctx.db, { role: 'reviewer' });
    const client = await Client.signedIn(ctx.app, reviewer);
    await client.post(`/claims/${id}`, form({ version: 1 }, { priority: 3 }));
    assert.deepEqual((await ctx.db('claims').where({ id }).first()).authors, [editor.id], 'changing the priority does not');
    await client.post(`/claims/${id}`, form({ version: 2 }, { statement: 'Reworded.' }));
    assert.deepEqual((await ctx.db('claims').where({ id }).first()).authors, [editor.id, reviewer.id]);
  });

  test('moving the quote to another occurrence of the same words is a quote edit: both places recorded, the editor made an author', async () => {
    const body = 'First the bridge opened in 2019, the minister said. Later the bridge opened in 2019 again, critics said.';
    const reportId = await makeReport(ctx.db, editor, { body });
    const first = body.indexOf('the bridge opened in 2019');
    const second = body.lastIndexOf('the bridge opened in 2019');
    const quote = 'the bridge opened in 2019';
    const at = (start: number) => ({ quote, quoteStart: start, quoteEnd: start + quote.length, quotePrefix: body.slice(Math.max(0, start - 32), start), quoteSuffix: body.slice(start + quote.length, start + quote.length + 32) });
    const author = await Client.signedIn(ctx.app, editor);
    const logged = await author.post(`/reports/${reportId}/claims`, { ...at(first), statement: 'The bridge opened in 2019.', claimant: 'The minister', kind: 'factual' });
    assert.equal(logged.status, 303);
    const id = Number(logged.headers.location!.split('/').pop());
    const reviewer = await makeUser(ctx.db, { role: 'reviewer' });
    const client = await Client.signedIn(ctx.app, reviewer);
    const res = await client.post(`/claims/${id}`, form({ version: 1 }, at(second)));
    assert.equal(res.status, 303);
    const row = await ctx.db('claims').where({ id }).first();
    assert.equal(row.quote_start, second);
    assert.deepEqual(row.authors, [editor.id, reviewer.id]);
    const event = await ctx.db('claim_events').where({ claim_id: id, type: 'edited' }).first();
    assert.deepEqual(event.data.changes.quote, { from: { text: quote, start: first, end: first + quote.length }, to: { text: quote, start: second, end: second + quote.length } });
    assert.match((await client.get(`/claims/${id}`)).text, new RegExp(`characters ${first}–${first + quote.length}`));
    // The four-eyes rule now applies to the reviewer.
    await makeEvidence(ctx.db, editor, id, { relation: 'supports' });
    const version = async () => (await ctx.db('claims').where({ id }).first()).version as number;
    assert.equal((await author.post(`/claims/${id}/submit`, { version: await version() })).status, 303);
    const verify = await client.post(`/claims/${id}/verify`, { version: await version(), confidence: 'high', comment: 'Checked.' });
    assert.equal(verify.status, 403);
  });

  for (const status of ['in_review', 'verified', 'withdrawn'] as const) {
    test(`the edit page of a claim that is ${status.replace('_', ' ')} is a 409 on the claim page that says why and what to do`, async () => {
      const id = await makeClaimIn(ctx.db, status, { author: editor });
      const client = await Client.signedIn(ctx.app, editor);
      const res = await client.get(`/claims/${id}/edit`);
      assert.equal(res.status, 409);
      assert.doesNotMatch(res.text, /Save claim/, 'no form that cannot be saved');
      assert.match(res.text, new RegExp(`Claim #${id}`));
      const expected = { in_review: /in review, so it cannot be edited now\. Ask the reviewer to send it back for changes, or withdraw it/, verified: /decided \(verified\), so it is frozen\. A reviewer can reopen it/, withdrawn: /withdrawn, so it cannot be edited\. Restore it to draft first/ }[status];
      assert.match(res.text, expected);
      const json = await client.getJson(`/claims/${id}/edit`);
      assert.equal(json.status, 409);
      assert.equal(json.body.error.code, 'not_editable');
    });
  }

  test('errors on the version field, which the form keeps hidden, are shown as a problem of the form', async () => {
    const id = await makeClaim(ctx.db, editor, await makeReport(ctx.db, editor));
    const client = await Client.signedIn(ctx.app, editor);
    const res = await client.post(`/claims/${id}`, form({ version: 1 }, { version: 'x', statement: '' }));
    assert.equal(res.status, 400);
    assert.doesNotMatch(res.text, /href="#field-version"/);
    for (const [, target] of res.text.matchAll(/href="#(field-[^"]+)"/g)) assert.match(res.text, new RegExp(`id="${target}"`), `${target} is on the page`);
    assert.match(res.text, /This form is out of date/);
  });

  test('a claim in review cannot be edited (409 with a message)', async () => {
    const id = await makeClaim(ctx.db, editor, await makeReport(ctx.db, editor));
    await ctx.db('claims').where({ id }).update({ status: 'in_review', status_changed_by: editor.id, version: 2 });
    const client = await Client.signedIn(ctx.app, editor);
    const res = await client.post(`/claims/${id}`, form({ version: 2 }, { statement: 'Changed in review' }));
    assert.equal(res.status, 409);
    assert.match(res.text, /cannot be edited now/);
    assert.equal((await ctx.db('claims').where({ id }).first()).statement, 'The bridge opened in 2019.');
  });
});

describe('report revisions', () => {
  let ctx: TestContext;
  let editor: User;
  let client: Client;
  before(async () => {
    ctx = await createTestApp();
    editor = await makeUser(ctx.db);
    client = await Client.signedIn(ctx.app, editor);
  });
  after(() => ctx.close());

  const original = 'Opening paragraph about the talks.\n\nThe envoy visited Miami between October 24 and 26.\n\nThe summit in Budapest remains on hold.';

  test('a revision that moves a quoted sentence keeps the claim anchored to it; one that deletes it flags the claim', async () => {
    const reportId = await makeReport(ctx.db, editor, { body: original, title: 'Revisable' });
    const moved = await makeClaim(ctx.db, editor, reportId, { quote: 'visited Miami between October 24 and 26' });
    const deleted = await makeClaim(ctx.db, editor, reportId, { quote: 'The summit in Budapest remains on hold.' });
    const revised = 'A correction was added at the top.\n\nOpening paragraph about the talks.\n\nNew material.\n\nThe envoy visited Miami between October 24 and 26.';
    const res = await client.post(`/reports/${reportId}`, { title: 'Revisable', body: revised, version: 1, note: 'Outlet updated the story' });
    assert.equal(res.status, 303);
    const report = await ctx.db('reports').where({ id: reportId }).first();
    assert.equal(report.revision, 2);
    assert.equal((await ctx.db('report_revisions').where({ report_id: reportId })).length, 2);
    const m = await ctx.db('claims').where({ id: moved }).first();
    assert.equal(revised.slice(m.quote_start, m.quote_end), 'visited Miami between October 24 and 26');
    assert.equal(m.quote_missing, false);
    assert.equal(m.anchored_revision, 2);
    const d = await ctx.db('claims').where({ id: deleted }).first();
    assert.equal(d.quote_missing, true);
    const page = await client.get(`/reports/${reportId}`);
    assert.match(page.text, /Quote not found in the current revision/);
    assert.match((await client.get(`/claims/${deleted}`)).text, /Quote not found in the current revision/);
    assert.ok(await ctx.db('claim_events').where({ claim_id: moved, type: 'reanchored' }).first());
  });

  test('a correction that moves or loses a quote gives the claim a new version and an event, so a form opened before it is stale', async () => {
    const reportId = await makeReport(ctx.db, editor, { body: original, title: 'Versions' });
    const moved = await makeClaim(ctx.db, editor, reportId, { quote: 'visited Miami between October 24 and 26' });
    const lost = await makeClaim(ctx.db, editor, reportId, { quote: 'The summit in Budapest remains on hold.' });
    const still = await makeClaim(ctx.db, editor, reportId, { quote: 'Opening paragraph about the talks.' });
    const revised = 'Opening paragraph about the talks.\n\nA new paragraph.\n\nThe envoy visited Miami between October 24 and 26.';
    assert.equal((await client.post(`/reports/${reportId}`, { title: 'Versions', body: revised, version: 1 })).status, 303);
    const rows = Object.fromEntries((await ctx.db('claims').where({ report_id: reportId })).map((r) => [r.id, r]));
    assert.equal(rows[moved].version, 2);
    assert.equal(rows[lost].version, 2);
    assert.equal(rows[still].version, 1, 'a quote that stayed where it was keeps its version');
    const events = await ctx.db('claim_events').whereIn('claim_id', [moved, lost, still]).where({ type: 'reanchored' }).orderBy('claim_id');
    assert.deepEqual(events.map((e) => [e.claim_id, e.data.revision, e.data.missing ?? false]), [[moved, 2, false], [lost, 2, true]]);
    const page = await client.get(`/claims/${moved}`);
    assert.match(page.text, /re-anchored the quote in revision 2/);
    assert.match((await client.get(`/claims/${lost}`)).text, /found the quote missing from revision 2/);
    // An edit form opened on revision 1 still holds version 1.
    const stale = await client.post(`/claims/${moved}`, { statement: 'Edited on the old text.', quote: 'visited Miami between October 24 and 26', quoteStart: original.indexOf('visited'), kind: 'factual', priority: 1, version: 1 });
    assert.equal(stale.status, 409);
    assert.match(stale.text, /Edited on the old text\./);
  });

  test('a short quote whose sentence was rewritten is flagged rather than attached to the same words elsewhere', async () => {
    const body = 'The minister presented the plan to parliament on Tuesday.\n\nOther news followed.';
    const reportId = await makeReport(ctx.db, editor, { body, title: 'Short quote' });
    const id = await makeClaim(ctx.db, editor, reportId, { quote: 'the plan' });
    const revised = 'Critics rejected the plan outright.\n\nOther news followed.';
    const res = await client.post(`/reports/${reportId}`, { title: 'Short quote', body: revised, version: 1 });
    assert.equal(res.status, 303);
    const row = await ctx.db('claims').where({ id }).first();
    assert.equal(row.quote_missing, true);
    assert.equal(row.version, 2);
  });

  test('errors on the report form point at fields that are on the page, the hidden version as a problem of the form', async () => {
    const reportId = await makeReport(ctx.db, editor, { body: original, title: 'Links' });
    const res = await client.post(`/reports/${reportId}`, { title: '', body: '', version: 'abc', url: 'ftp://x', publishedOn: '2025-02-30' });
    assert.equal(res.status, 400);
    const targets = [...res.text.matchAll(/href="#(field-[^"]+)"/g)].map((m) => m[1]!);
    assert.deepEqual(targets.sort(), ['field-body', 'field-publishedOn', 'field-title', 'field-url']);
    for (const target of targets) assert.match(res.text, new RegExp(`id="${target}"`));
    assert.match(res.text, /This form is out of date/);
    const created = await client.post('/reports', { title: '', url: 'ftp://x', publishedOn: 'soon', version: 'abc', note: 'x'.repeat(600) });
    assert.equal(created.status, 400);
    for (const [, target] of created.text.matchAll(/href="#(field-[^"]+)"/g)) assert.match(created.text, new RegExp(`id="${target}"`), `${target} is on the import form`);
  });

  test('a stale report form is a 409 that keeps the user’s text', async () => {
    const reportId = await makeReport(ctx.db, editor, { body: original, title: 'Stale' });
    assert.equal((await client.post(`/reports/${reportId}`, { title: 'Stale', body: original + '\n\nFirst.', version: 1 })).status, 303);
    const res = await client.post(`/reports/${reportId}`, { title: 'Stale', body: original + '\n\nMy unsaved correction.', version: 1 });
    assert.equal(res.status, 409);
    assert.match(res.text, /My unsaved correction\./);
    assert.match(res.text, /First\./);
  });
});

describe('the claims list and search', () => {
  let ctx: TestContext;
  let editor: User;
  let client: Client;
  before(async () => {
    ctx = await createTestApp();
    editor = await makeUser(ctx.db);
    client = await Client.signedIn(ctx.app, editor);
    const reportId = await makeReport(ctx.db, editor, { body: 'Inflation fell to three percent last year. The harbour bridge opened in 2019. Unemployment rose sharply.' });
    await makeClaim(ctx.db, editor, reportId, { quote: 'Inflation fell to three percent last year.', statement: 'Inflation fell to three percent.', tags: ['economy'] });
    await makeClaim(ctx.db, editor, reportId, { quote: 'The harbour bridge opened in 2019.', statement: 'The harbour bridge opened in 2019.', claimant: 'Mayor', tags: ['infrastructure'] });
    await makeClaim(ctx.db, editor, reportId, { quote: 'Unemployment rose sharply.', statement: 'Unemployment rose sharply.', tags: ['economy'], priority: 3 });
  });
  after(() => ctx.close());

  test('a word in a statement finds its claim, with the match highlighted', async () => {
    const res = await client.get('/claims?q=inflation');
    assert.equal(res.status, 200);
    assert.match(res.text, /<mark>Inflation<\/mark> fell to three percent/);
    const json = await client.getJson('/claims?q=inflation');
    assert.deepEqual(json.body.claims.map((c: { statement: string }) => c.statement), ['Inflation fell to three percent.']);
  });

  test('a word in no claim finds nothing', async () => {
    const json = await client.getJson('/claims?q=zeppelin');
    assert.equal(json.body.claims.length, 0);
  });

  for (const q of ["' OR 1=1 --", '&|!:*', '"unclosed', "'; DROP TABLE claims; --", '\\', '%_']) {
    test(`search input ${JSON.stringify(q)} is a normal search, never a 500`, async () => {
      const res = await client.getJson(`/claims?q=${encodeURIComponent(q)}`);
      assert.equal(res.status, 200);
      assert.equal(res.body.claims.length, 0);
    });
  }

  test('filters by tag and claimant, and sorts by priority', async () => {
    const byTag = await client.getJson('/claims?tag=economy');
    assert.equal(byTag.body.claims.length, 2);
    const byClaimant = await client.getJson('/claims?claimant=mayor');
    assert.equal(byClaimant.body.claims.length, 1);
    const byPriority = await client.getJson('/claims?sort=priority');
    assert.equal(byPriority.body.claims[0].statement, 'Unemployment rose sharply.');
  });

  test('keyset pagination walks every claim exactly once', async () => {
    const reportId = await makeReport(ctx.db, editor, { body: Array.from({ length: 130 }, (_, i) => `Sentence number ${i} is here.`).join(' ') });
    for (let i = 0; i < 130; i++) await makeClaim(ctx.db, editor, reportId, { quote: `Sentence number ${i} is here.`, statement: `Claim ${i}` });
    for (const sort of ['newest', 'oldest', 'priority']) {
      const seen: number[] = [];
      let after: string | null = null;
      do {
        const res = await client.getJson(`/claims?report=${reportId}&sort=${sort}${after ? `&after=${after}` : ''}`);
        assert.equal(res.status, 200);
        seen.push(...res.body.claims.map((c: { id: number }) => c.id));
        after = res.body.next;
      } while (after);
      assert.equal(seen.length, 130, sort);
      assert.equal(new Set(seen).size, 130, sort);
    }
  });

  test('an unknown status or sort is a 400 with a message', async () => {
    const status = await client.getJson('/claims?status=bogus');
    assert.equal(status.status, 400);
    assert.match(status.body.error.fields.status, /Choose a status/);
    assert.equal((await client.getJson('/claims?sort=id;drop')).status, 400);
    assert.equal((await client.getJson('/claims?report=abc')).status, 400);
  });

  test('a date that is not real shows the claims page again (400): the filter form, the message beside the date, the other filters kept', async () => {
    const res = await client.get('/claims?from=2025-13-01&claimant=Mayor&tag=economy&status=draft&status=in_review&sort=priority');
    assert.equal(res.status, 400);
    assert.match(res.text, /<h1>Claims<\/h1>/);
    assert.match(res.text, /class="error-summary"[\s\S]*href="#field-from"[^>]*>Start date must be a real date/);
    assert.match(res.text, /id="field-from-error"/);
    assert.match(res.text, /id="field-from"[^>]*value="2025-13-01"/);
    assert.match(res.text, /id="field-claimant"[^>]*value="Mayor"/);
    assert.match(res.text, /id="field-tag"[^>]*value="economy"/);
    assert.match(res.text, /id="field-status" name="status" value="draft" checked/);
    assert.match(res.text, /name="status" value="in_review" checked/);
    assert.match(res.text, /<option value="priority" selected>/);
    assert.doesNotMatch(res.text, /Unemployment rose sharply/, 'no list that ignores the refused filter');
  });

  test('an unknown status shows the form again with the message beside the statuses, the known ones still ticked', async () => {
    const res = await client.get('/claims?status=bogus&status=verified&q=bridge');
    assert.equal(res.status, 400);
    assert.match(res.text, /href="#field-status"[^>]*>Choose a status from the list/);
    assert.match(res.text, /id="field-status-error"/);
    assert.match(res.text, /name="status" value="verified" checked/);
    assert.match(res.text, /id="field-q"[^>]*value="bridge"/);
    for (const [, target] of res.text.matchAll(/href="#(field-[^"]+)"/g)) assert.match(res.text, new RegExp(`id="${target}"`));
  });

  test('the filter form holds what the URL holds: several statuses, and any person as reviewer or logger', async () => {
    const reviewer = await makeUser(ctx.db, { role: 'reviewer', displayName: 'Rita Reviewer' });
    const res = await client.get(`/claims?status=draft&status=changes_requested&assignee=${reviewer.id}&createdBy=${editor.id}`);
    assert.equal(res.status, 200);
    assert.match(res.text, /name="status" value="draft" checked/);
    assert.match(res.text, /name="status" value="changes_requested" checked/);
    assert.doesNotMatch(res.text, /name="status" value="verified" checked/);
    assert.match(res.text, /id="field-assignee"[\s\S]*?<option value="\d+" selected>Rita Reviewer<\/option>[\s\S]*?<\/select>/);
    assert.match(res.text, new RegExp(`id="field-createdBy"[\\s\\S]*?<option value="${editor.id}" selected>`));
    const unknown = await client.get('/claims?assignee=999999');
    assert.match(unknown.text, /<option value="999999" selected>Account #999999<\/option>/);
  });

  test('a report filter from the URL stays selected though the report is older than the 200 the form lists', async () => {
    const oldest = await makeReport(ctx.db, editor, { title: 'The oldest report' });
    await ctx.db('reports').insert(Array.from({ length: 200 }, (_, i) => ({ title: `Newer ${i}`, body: 'Text.', imported_by: editor.id, created_at: new Date(Date.now() + 60_000 + i) })));
    const res = await client.get(`/claims?report=${oldest}`);
    assert.equal(res.status, 200);
    assert.match(res.text, new RegExp(`<option value="${oldest}" selected>The oldest report</option>`));
  });

  test('claimant suggestions come from claimants already used', async () => {
    const res = await client.getJson('/api/claimants?q=ma');
    assert.deepEqual(res.body.claimants, ['Mayor']);
  });
});
