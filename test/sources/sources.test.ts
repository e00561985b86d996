import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { User } from '../../server/accounts/users.repo.ts';
import { appWithEditor, type TestContext } from '../support/app.ts';
import { Client } from '../support/client.ts';
import { makeClaim, makeReport, makeUser } from '../support/factories.ts';
import { assertNoInjectedMarkup } from '../support/html.ts';
import { missingShared, xssPayloads } from '../support/shared.ts';

const source = (props: Record<string, string> = {}) => ({ kind: 'web_page', title: 'Axios report on the plan', url: 'https://www.axios.com/plan', publisher: 'Axios', reliability: 'B', ...props });
const evidence = (props: Record<string, string | number> = {}) => ({ relation: 'supports', credibility: 2, excerpt: 'The passage that supports it.', ...props });

describe('the source library', () => {
  let ctx: TestContext;
  let client: Client;
  before(async () => {
    ({ ctx, client } = await appWithEditor());
  });
  after(() => ctx.close());

  test('https://Example.com/a?utm_source=x#top and https://example.com/a are one source: the second is offered the first', async () => {
    const first = await client.post('/sources', source({ title: 'Example page', url: 'https://Example.com/a?utm_source=x#top' }));
    assert.equal(first.status, 303);
    const id = Number(first.headers.location!.split('/').pop());
    const row = await ctx.db('sources').where({ id }).first();
    assert.equal(row.url_normalized, 'https://example.com/a');
    const second = await client.post('/sources', source({ title: 'Same page again', url: 'https://example.com/a' }));
    assert.equal(second.status, 409);
    assert.match(second.text, new RegExp(`already in the library as <a href="/sources/${id}"`));
    assert.match(second.text, /value="Same page again"/, 'the input is kept');
    assert.equal((await ctx.db('sources').where({ url_normalized: 'https://example.com/a' })).length, 1);
  });

  for (const url of ['javascript:alert(1)', 'data:text/html,hi', 'ftp://x.example/file']) {
    test(`a ${url.split(':')[0]}: URL is refused with 400 and a clear message`, async () => {
      const res = await client.post('/sources', source({ url }));
      assert.equal(res.status, 400);
      assert.match(res.text, /id="field-url-error"[\s\S]*Only web addresses/);
      const archive = await client.post('/sources', source({ url: '', archiveUrl: url }));
      assert.equal(archive.status, 400);
      assert.match(archive.text, /id="field-archiveUrl-error"/);
    });
  }

  test('source links open safely: rel="noopener noreferrer"', async () => {
    const res = await client.post('/sources', source({ title: 'Linked', url: 'https://linked.example/page' }));
    const page = await client.get(res.headers.location!);
    assert.match(page.text, /<a href="https:\/\/linked\.example\/page" rel="noopener noreferrer"/);
  });

  test('an unknown reliability is refused', async () => {
    const res = await client.post('/sources', source({ reliability: 'Z', url: 'https://z.example/' }));
    assert.equal(res.status, 400);
    assert.match(res.text, /id="field-reliability-error"/);
  });

  test('search finds sources by title words, publisher and URL; odd input is a normal search', async () => {
    await client.post('/sources', source({ title: 'Reuters news agency dispatch', publisher: 'Reuters', url: 'https://reuters.example/d' }));
    for (const [q, expected] of [['reut', 1], ['news agency', 1], ['https://reuters.example/d', 1], ['zzzz', 0], ["' OR 1=1 --", 0], ['&|!:*()', 0]] as const) {
      const res = await client.getJson(`/sources?q=${encodeURIComponent(q)}`);
      assert.equal(res.status, 200, q);
      assert.equal(res.body.sources.filter((s: { title: string }) => s.title.startsWith('Reuters')).length, expected, q);
    }
  });

  test('a stale source form is a 409 that keeps the edit', async () => {
    const res = await client.post('/sources', source({ title: 'Versioned', url: 'https://versioned.example/' }));
    const id = res.headers.location!.split('/').pop();
    assert.equal((await client.post(`/sources/${id}`, source({ title: 'First edit', url: 'https://versioned.example/', version: '1' }))).status, 303);
    const stale = await client.post(`/sources/${id}`, source({ title: 'My lost edit', url: 'https://versioned.example/', version: '1' }));
    assert.equal(stale.status, 409);
    assert.match(stale.text, /value="My lost edit"/);
    assert.match(stale.text, /First edit/);
  });
});

describe('evidence on claims', () => {
  let ctx: TestContext;
  let editor: User;
  let client: Client;
  before(async () => {
    ({ ctx, editor, client } = await appWithEditor());
  });
  after(() => ctx.close());

  test('evidence is added with a new inline source, changed, and removed; each is a claim event', async () => {
    const claimId = await makeClaim(ctx.db, editor, await makeReport(ctx.db, editor));
    const added = await client.post(`/claims/${claimId}/evidence`, { ...evidence(), newTitle: 'Ministry press release', newUrl: 'https://gov.example/release', newPublisher: 'Ministry', newReliability: 'A', newKind: 'document', locator: 'para. 3' });
    assert.equal(added.status, 303);
    const link = await ctx.db('evidence_links').where({ claim_id: claimId }).first();
    assert.equal(link.credibility, 2);
    const page = await client.get(`/claims/${claimId}`);
    assert.match(page.text, /Ministry press release/);
    assert.match(page.text, /<abbr class="badge rating[^"]*" title="A · Completely reliable:[^"]*2 · Probably true:[^"]*">A2<\/abbr>/);
    assert.match(page.text, /Suggested confidence: <span class="confidence--moderate">Moderate/);

    const changed = await client.post(`/claims/${claimId}/evidence/${link.id}`, { ...evidence({ credibility: 3, relation: 'supports' }), version: 1 });
    assert.equal(changed.status, 303);
    assert.equal((await ctx.db('evidence_links').where({ id: link.id }).first()).credibility, 3);
    const removed = await client.post(`/claims/${claimId}/evidence/${link.id}/delete`);
    assert.equal(removed.status, 303);
    assert.equal((await ctx.db('evidence_links').where({ claim_id: claimId })).length, 0);
    const types = (await ctx.db('claim_events').where({ claim_id: claimId }).orderBy('id')).map((e) => e.type);
    assert.deepEqual(types, ['created', 'evidence_linked', 'evidence_changed', 'evidence_unlinked']);
    assert.ok(await ctx.db('sources').where({ url_normalized: 'https://gov.example/release' }).first(), 'the source stays in the library');
  });

  test('a library source can be linked to many claims, and its page lists them all with their statuses', async () => {
    const reportId = await makeReport(ctx.db, editor);
    const a = await makeClaim(ctx.db, editor, reportId);
    const b = await makeClaim(ctx.db, editor, reportId, { quote: 'Critics said it opened in 2021', statement: 'Critics said it opened in 2021.' });
    const created = await client.post('/sources', source({ title: 'Shared source', url: 'https://shared.example/' }));
    const sourceId = Number(created.headers.location!.split('/').pop());
    assert.equal((await client.post(`/claims/${a}/evidence`, { ...evidence(), sourceId })).status, 303);
    assert.equal((await client.post(`/claims/${b}/evidence`, { ...evidence({ relation: 'contradicts' }), sourceId })).status, 303);
    await ctx.db('claims').where({ id: b }).update({ status: 'withdrawn', status_changed_by: editor.id, version: ctx.db.raw('version + 1') });
    const page = await client.get(`/sources/${sourceId}`);
    assert.match(page.text, new RegExp(`href="/claims/${a}"`));
    assert.match(page.text, new RegExp(`href="/claims/${b}"`));
    assert.match(page.text, /Draft/);
    assert.match(page.text, /Withdrawn/);
    assert.match(page.text, /Contradicts/);
    const json = await client.getJson(`/sources/${sourceId}`);
    assert.deepEqual(json.body.claims.map((c: { claimId: number; status: string }) => [c.claimId, c.status]).sort(), [[a, 'draft'], [b, 'withdrawn']].sort());
  });

  test('linking the same source twice is refused beside the source field', async () => {
    const claimId = await makeClaim(ctx.db, editor, await makeReport(ctx.db, editor));
    const created = await client.post('/sources', source({ title: 'Twice', url: 'https://twice.example/' }));
    const sourceId = Number(created.headers.location!.split('/').pop());
    await client.post(`/claims/${claimId}/evidence`, { ...evidence(), sourceId });
    const again = await client.post(`/claims/${claimId}/evidence`, { ...evidence(), sourceId });
    assert.equal(again.status, 400);
    assert.match(again.text, /already linked/);
  });

  test('a new inline source whose URL is known offers the library source, chosen', async () => {
    const claimId = await makeClaim(ctx.db, editor, await makeReport(ctx.db, editor));
    const created = await client.post('/sources', source({ title: 'Known page', url: 'https://known.example/page' }));
    const sourceId = created.headers.location!.split('/').pop();
    const res = await client.post(`/claims/${claimId}/evidence`, { ...evidence(), newTitle: 'Typed again', newUrl: 'https://KNOWN.example/page/?utm_campaign=z' });
    assert.equal(res.status, 409);
    assert.match(res.text, new RegExp(`name="sourceId" value="${sourceId}"[^>]* checked`));
    assert.match(res.text, /already in the library as “Known page”/);
    assert.equal((await ctx.db('evidence_links').where({ claim_id: claimId })).length, 0);
  });

  test('bad evidence input is a 400 beside the field with the input kept', async () => {
    const claimId = await makeClaim(ctx.db, editor, await makeReport(ctx.db, editor));
    const res = await client.post(`/claims/${claimId}/evidence`, { relation: 'proves', credibility: 9, excerpt: 'Kept excerpt', newTitle: '' });
    assert.equal(res.status, 400);
    assert.match(res.text, /id="field-relation-error"/);
    assert.match(res.text, /id="field-credibility-error"/);
    assert.match(res.text, />Kept excerpt<\/textarea>/);
  });

  test('adding evidence to a verified claim is refused with a message to reopen, and nothing is stored', async () => {
    const claimId = await makeClaim(ctx.db, editor, await makeReport(ctx.db, editor));
    const reviewer = await makeUser(ctx.db, { role: 'reviewer' });
    await ctx.db('claims').where({ id: claimId }).update({ status: 'in_review', status_changed_by: editor.id, version: 2 });
    const label = ctx.db.raw("(SELECT id FROM verdict_labels WHERE status = 'verified' ORDER BY position LIMIT 1)");
    await ctx.db('claims').where({ id: claimId }).update({ status: 'verified', status_changed_by: reviewer.id, decided_by: reviewer.id, decided_at: ctx.db.fn.now(), verdict_label_id: label, version: 3 });
    const before = await ctx.db('sources').count<{ n: number }[]>('* as n');
    const res = await client.post(`/claims/${claimId}/evidence`, { ...evidence(), newTitle: 'Late source', newUrl: 'https://late.example/' });
    assert.equal(res.status, 409);
    assert.match(res.text, /evidence is frozen[\s\S]*must reopen it/);
    assert.equal((await ctx.db('evidence_links').where({ claim_id: claimId })).length, 0);
    assert.deepEqual(await ctx.db('sources').count<{ n: number }[]>('* as n'), before, 'not even the inline source is stored');
  });

  test('XSS payloads as source title, publisher, excerpt and note are escaped everywhere', { skip: missingShared('data/xss-polyglots.txt') }, async () => {
    const claimId = await makeClaim(ctx.db, editor, await makeReport(ctx.db, editor));
    const payloads = xssPayloads();
    for (const [i, p] of payloads.entries()) {
      const res = await client.post(`/claims/${claimId}/evidence`, { relation: 'supports', credibility: 3, excerpt: p, note: p, newTitle: p.slice(0, 500), newPublisher: p.slice(0, 200), newUrl: `https://xss.example/${i}` });
      assert.equal(res.status, 303);
    }
    const sourceId = (await ctx.db('sources').where({ url_normalized: 'https://xss.example/0' }).first()).id;
    for (const path of [`/claims/${claimId}`, `/sources/${sourceId}`, '/sources', `/sources?q=alert`, `/sources/${sourceId}/edit`]) {
      const page = await client.get(path);
      assert.equal(page.status, 200, path);
      assertNoInjectedMarkup(page.text, path);
      for (const p of payloads) assert.ok(!page.text.includes(p), `${path} shows a payload raw`);
    }
  });
});
