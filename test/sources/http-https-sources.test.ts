import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { User } from '../../server/accounts/users.repo.ts';
import { transitionClaim } from '../../server/review/transitions.ts';
import { up } from '../../migrations/20261206000200_one_source_for_http_and_https.ts';
import { appWithEditor, type TestContext } from '../support/app.ts';
import { Client } from '../support/client.ts';
import { makeClaim, makeEvidence, makeReport, makeUser } from '../support/factories.ts';

/**
 * One source per page over http and https: the migration merges the sources
 * stored before (and the "#duplicate-of-" sources of the www. migration)
 * into the oldest of each page, evidence re-pointed, history recorded.
 */
describe('one source per page, over http or https', () => {
  let ctx: TestContext;
  let editor: User;
  let client: Client;
  before(async () => {
    ({ ctx, editor, client } = await appWithEditor());
  });
  after(() => ctx.close());

  /** A source as an older Factdesk stored it: keyed by its own scheme. */
  async function legacySource(title: string, url: string, key: string, createdAt: string): Promise<number> {
    const [row] = await ctx.db('sources').insert({ kind: 'web_page', title, url, url_normalized: key, reliability: 'C', created_by: editor.id, created_at: createdAt }).returning('id');
    return (row as { id: number }).id;
  }
  const keyOf = async (id: number) => ((await ctx.db('sources').where({ id }).first('url_normalized')) as { url_normalized: string }).url_normalized;
  const linksOf = async (claimId: number) =>
    (await ctx.db('evidence_links').where({ claim_id: claimId }).orderBy('id').select('source_id', 'relation', 'credibility', 'excerpt')) as { source_id: number; relation: string; credibility: number; excerpt: string }[];
  const versionOf = async (id: number) => ((await ctx.db('claims').where({ id }).first('version')) as { version: number }).version;

  test('a database holding duplicates: each page keeps its oldest source, every link moves to it, the history says so, nothing is lost', async () => {
    const httpA = await legacySource('Merge A over http', 'http://merge.example/a', 'http://merge.example/a', '2025-01-01T00:00:00Z');
    const httpsA = await legacySource('Merge A over https', 'https://merge.example/a', 'https://merge.example/a', '2025-02-01T00:00:00Z');
    const wwwB = await legacySource('Merge B', 'https://www.merge.example/b', 'https://merge.example/b', '2025-01-01T00:00:00Z');
    const dupB = await legacySource('Merge B again', 'https://merge.example/b', `https://merge.example/b#duplicate-of-${wwwB}`, '2025-03-01T00:00:00Z');
    const alone = await legacySource('Alone over http', 'http://alone.example/c', 'http://alone.example/c', '2025-01-01T00:00:00Z');

    const reportId = await makeReport(ctx.db, editor);
    const draft = await makeClaim(ctx.db, editor, reportId);
    await makeEvidence(ctx.db, editor, draft, { sourceId: httpsA, relation: 'supports', credibility: 2 });
    const both = await makeClaim(ctx.db, editor, reportId);
    await makeEvidence(ctx.db, editor, both, { sourceId: httpA, relation: 'origin', credibility: 2 });
    await makeEvidence(ctx.db, editor, both, { sourceId: httpsA, relation: 'contradicts', credibility: 4 });
    const decided = await makeClaim(ctx.db, editor, reportId);
    await makeEvidence(ctx.db, editor, decided, { sourceId: httpsA, relation: 'supports', credibility: 2 });
    const reviewer = await makeUser(ctx.db, { role: 'reviewer' });
    await transitionClaim(ctx.db, { actor: editor, claimId: decided, action: 'submit', version: await versionOf(decided), comment: null, confidence: null });
    await transitionClaim(ctx.db, { actor: reviewer, claimId: decided, action: 'verify', version: await versionOf(decided), comment: 'Checked.', confidence: 'high' });
    const www = await makeClaim(ctx.db, editor, reportId);
    await makeEvidence(ctx.db, editor, www, { sourceId: dupB, relation: 'context', credibility: 3 });
    const before = { draft: await versionOf(draft), decided: await versionOf(decided), links: Number(((await ctx.db('evidence_links').count('* as n')) as { n: string }[])[0]!.n) };

    await ctx.db.transaction((trx) => up(trx));

    assert.equal(await keyOf(httpA), 'https://merge.example/a', 'the oldest source keeps the page, keyed over https');
    assert.equal(await keyOf(httpsA), `https://merge.example/a#merged-into-${httpA}`);
    assert.equal(await keyOf(wwwB), 'https://merge.example/b');
    assert.equal(await keyOf(dupB), `https://merge.example/b#merged-into-${wwwB}`, 'the www. migration’s duplicate is merged too');
    assert.equal(await keyOf(alone), 'https://alone.example/c');
    assert.equal(((await ctx.db('sources').where({ id: httpsA }).first('url')) as { url: string }).url, 'https://merge.example/a', 'every source keeps its address');

    assert.deepEqual(await linksOf(draft), [{ source_id: httpA, relation: 'supports', credibility: 2, excerpt: 'An excerpt.' }]);
    assert.deepEqual(await linksOf(both), [{ source_id: httpA, relation: 'origin', credibility: 2, excerpt: 'An excerpt.' }], 'a claim citing both keeps the oldest');
    assert.deepEqual((await linksOf(decided)).map((l) => l.source_id), [httpA], 'a decided claim’s evidence moves too');
    assert.deepEqual((await linksOf(www)).map((l) => l.source_id), [wwwB]);
    const after = Number(((await ctx.db('evidence_links').count('* as n')) as { n: string }[])[0]!.n);
    assert.equal(after, before.links - 1, 'only the second link of the claim citing both goes');

    const events = (await ctx.db('claim_events').where({ type: 'source_merged' }).orderBy('claim_id').select('claim_id', 'data')) as { claim_id: number; data: Record<string, unknown> }[];
    assert.deepEqual(events.map((e) => e.claim_id), [draft, both, decided, www]);
    const dropped = events.find((e) => e.claim_id === both)!.data;
    assert.equal(dropped.dropped, true);
    assert.deepEqual(dropped.link, { relation: 'contradicts', credibility: 4, excerpt: 'An excerpt.', locator: null, note: null }, 'the dropped link’s fields are in the history');
    assert.equal(await versionOf(draft), before.draft + 1, 'an open claim gets a new version: a reviewer who saw the old evidence is told');
    assert.equal(await versionOf(decided), before.decided, 'a decided claim keeps its version');

    const timeline = await client.get(`/claims/${both}`);
    assert.match(timeline.text, /merged the source “Merge A over https” into “Merge A over http”/);
    const page = await client.get(`/sources/${httpsA}`);
    assert.match(page.text, new RegExp(`same page as <a href="/sources/${httpA}"`));
  });

  test('after the merge, adding the page over the other scheme offers the library source', async () => {
    const claimId = await makeClaim(ctx.db, editor, await makeReport(ctx.db, editor));
    const res = await client.post(`/claims/${claimId}/evidence`, { relation: 'supports', credibility: 3, newTitle: 'Again', newUrl: 'https://merge.example/a' });
    assert.equal(res.status, 409);
    assert.match(res.text, /already in the library as “Merge A over http”/);
    const fresh = await client.post('/sources', { kind: 'web_page', title: 'New over http', url: 'http://fresh.example/n', reliability: 'B' });
    assert.equal(fresh.status, 303);
    const again = await client.post('/sources', { kind: 'web_page', title: 'New over https', url: 'https://fresh.example/n', reliability: 'B' });
    assert.equal(again.status, 409);
  });
});
