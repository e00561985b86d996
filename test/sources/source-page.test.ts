import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { User } from '../../server/accounts/users.repo.ts';
import { linkLibrarySource } from '../../server/sources/evidence.commands.ts';
import { appWithEditor, type TestContext } from '../support/app.ts';
import { Client } from '../support/client.ts';
import { makeClaim, makeReport, makeSource } from '../support/factories.ts';

const CLAIMS = 57; // more than one page of 50

describe('the page of a source used by many claims', () => {
  let ctx: TestContext;
  let editor: User;
  let client: Client;
  let sourceId: number;
  let claimIds: number[];
  before(async () => {
    ({ ctx, editor, client } = await appWithEditor());
    const reportId = await makeReport(ctx.db, editor);
    sourceId = await makeSource(ctx.db, editor, { title: 'Widely cited agency report' });
    claimIds = [];
    for (let i = 0; i < CLAIMS; i++) {
      const claimId = await makeClaim(ctx.db, editor, reportId, { statement: `Claim number ${i}.` });
      await linkLibrarySource(ctx.db, editor, claimId, { sourceId, relation: 'supports', credibility: 2 });
      claimIds.push(claimId);
    }
    await ctx.db('claims').whereIn('id', claimIds.slice(0, 2)).update({ status: 'withdrawn', status_changed_by: editor.id, version: ctx.db.raw('version + 1') });
  });
  after(() => ctx.close());

  const linkedIds = (html: string) => [...html.matchAll(/<a href="\/claims\/(\d+)">#/g)].map((m) => Number(m[1]));

  test('shows the counts per status and 50 claims, newest first, with a next link to the rest', async () => {
    const newestFirst = [...claimIds].sort((a, b) => b - a);
    const first = await client.get(`/sources/${sourceId}`);
    assert.equal(first.status, 200);
    assert.match(first.text, new RegExp(`Claims that use this source \\(${CLAIMS}\\)`));
    assert.match(first.text, new RegExp(`Draft: ${CLAIMS - 2}<`));
    assert.match(first.text, /Withdrawn: 2</);
    assert.deepEqual(linkedIds(first.text), newestFirst.slice(0, 50));
    const next = /<a href="(\/sources\/\d+\?after=[^"#]+)#claims-heading">Next page<\/a>/.exec(first.text);
    assert.ok(next, 'a next link');
    const second = await client.get(next[1]!.replace(/&amp;/g, '&'));
    assert.equal(second.status, 200);
    assert.deepEqual(linkedIds(second.text), newestFirst.slice(50));
    assert.doesNotMatch(second.text, />Next page</);
    assert.match(second.text, />Newest claims</);
  });

  test('the JSON form pages the same way and carries the counts', async () => {
    const first = await client.getJson(`/sources/${sourceId}`);
    assert.equal(first.status, 200);
    assert.equal(first.body.claims.length, 50);
    assert.deepEqual(first.body.claimCounts, { draft: CLAIMS - 2, withdrawn: 2 });
    assert.equal(typeof first.body.next, 'string');
    const second = await client.getJson(`/sources/${sourceId}?after=${encodeURIComponent(first.body.next)}`);
    assert.equal(second.body.claims.length, CLAIMS - 50);
    assert.equal(second.body.next, null);
    const all = [...first.body.claims, ...second.body.claims].map((c: { claimId: number }) => c.claimId);
    assert.deepEqual([...all].sort((a, b) => a - b), claimIds);
  });

  test('a malformed cursor shows the first page', async () => {
    const res = await client.getJson(`/sources/${sourceId}?after=${encodeURIComponent("'; DROP TABLE claims; --")}`);
    assert.equal(res.status, 200);
    assert.equal(res.body.claims[0].claimId, Math.max(...claimIds));
  });
});
