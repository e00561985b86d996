import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { User } from '../../server/accounts/users.repo.ts';
import { normaliseSourceUrl } from '../../server/sources/source-urls.ts';
import { down, up } from '../../migrations/20261201000700_one_source_with_or_without_www.ts';
import { appWithEditor, type TestContext } from '../support/app.ts';
import { Client } from '../support/client.ts';
import { makeClaim, makeReport, makeSource } from '../support/factories.ts';

describe('one source per page, with or without www.', () => {
  let ctx: TestContext;
  let editor: User;
  let client: Client;
  before(async () => {
    ({ ctx, editor, client } = await appWithEditor());
  });
  after(() => ctx.close());

  /** A source as the app stored it before the www. rule: its key is its cleaned URL, "www." and all. */
  async function legacySource(title: string, url: string, createdAt = '2025-01-01T00:00:00Z'): Promise<number> {
    const [row] = await ctx.db('sources').insert({ kind: 'web_page', title, url, url_normalized: url, reliability: 'C', created_by: editor.id, created_at: createdAt }).returning('id');
    return (row as { id: number }).id;
  }
  const keyOf = async (id: number) => ((await ctx.db('sources').where({ id }).first('url_normalized')) as { url_normalized: string }).url_normalized;
  const urlOf = async (id: number) => ((await ctx.db('sources').where({ id }).first('url')) as { url: string }).url;

  test('adding https://www.axios.com/x when https://axios.com/x is in the library offers the library source', async () => {
    const claimId = await makeClaim(ctx.db, editor, await makeReport(ctx.db, editor));
    const existing = await makeSource(ctx.db, editor, { title: 'Axios on the plan', url: 'https://axios.com/2025/11/19/plan' });
    const res = await client.post(`/claims/${claimId}/evidence`, { relation: 'origin', credibility: 2, newTitle: 'Axios again', newUrl: 'https://www.axios.com/2025/11/19/plan?utm_source=newsletter' });
    assert.equal(res.status, 409);
    assert.match(res.text, new RegExp(`name="sourceId" value="${existing}"[^>]* checked`));
    assert.match(res.text, /already in the library as “Axios on the plan”/);
    const library = await client.post('/sources', { kind: 'web_page', title: 'Axios again', url: 'https://www.axios.com/2025/11/19/plan', reliability: 'B' });
    assert.equal(library.status, 409, 'the library form refuses it too');
    assert.equal((await ctx.db('sources').where('url', 'like', '%axios.com/2025/11/19/plan')).length, 1);
  });

  test('a new source keeps the address as typed (cleaned) and is keyed without www.', async () => {
    const id = await makeSource(ctx.db, editor, { url: 'https://www.kept.example/story/?utm_medium=email' });
    assert.equal(await urlOf(id), 'https://www.kept.example/story', 'the address that opens keeps its www.');
    assert.equal(await keyOf(id), 'https://kept.example/story');
  });

  test('the migration re-keys stored sources with the normaliser’s rule', async () => {
    const urls = [
      'https://www.rule.example/a',
      'http://www.rule.example:8080/b?x=1',
      'https://www.www.rule2.example/c',
      'https://www.com/',
      'https://wwwrule.example/d',
      'https://news.www.rule.example/e',
      'https://rule.example/www.f',
      'https://www.xn--bcher-kva.example/g',
    ];
    const ids: number[] = [];
    for (const [i, url] of urls.entries()) ids.push(await legacySource(`Rule ${i}`, url));
    await up(ctx.db);
    // The www. rule; the scheme rule came later (migration 20261206000200), so an http address keeps http here.
    const wwwRule = (url: string) => String(normaliseSourceUrl(url)).replace(/^https:/, url.startsWith('http:') ? 'http:' : 'https:');
    for (const [i, id] of ids.entries()) {
      assert.equal(await keyOf(id), wwwRule(urls[i]!), urls[i]);
      assert.equal(await urlOf(id), urls[i], 'the address is left as it was');
    }
    const found = await client.getJson(`/sources?q=${encodeURIComponent('https://rule.example/a')}`);
    assert.deepEqual(found.body.sources.map((s: { id: number }) => s.id), [ids[0]], 'an exact-URL search finds it under its new key');
  });

  test('when two stored sources are the same page, the migration keeps both: the older takes the key, the newer points to it', async () => {
    const olderWww = await legacySource('Pair one, www.', 'https://www.pair.example/x', '2025-01-01T00:00:00Z');
    const newerBare = await legacySource('Pair one, bare', 'https://pair.example/x', '2025-02-01T00:00:00Z');
    const olderBare = await legacySource('Pair two, bare', 'https://pair.example/y', '2025-01-01T00:00:00Z');
    const newerWww = await legacySource('Pair two, www.', 'https://www.pair.example/y', '2025-02-01T00:00:00Z');
    await up(ctx.db);
    assert.equal(await keyOf(olderWww), 'https://pair.example/x');
    assert.equal(await keyOf(newerBare), `https://pair.example/x#duplicate-of-${olderWww}`);
    assert.equal(await keyOf(olderBare), 'https://pair.example/y');
    assert.equal(await keyOf(newerWww), `https://pair.example/y#duplicate-of-${olderBare}`);
    assert.equal(await urlOf(newerWww), 'https://www.pair.example/y', 'both keep their address');

    const claimId = await makeClaim(ctx.db, editor, await makeReport(ctx.db, editor));
    const res = await client.post(`/claims/${claimId}/evidence`, { relation: 'supports', credibility: 3, newTitle: 'Again', newUrl: 'https://www.pair.example/x' });
    assert.equal(res.status, 409);
    assert.match(res.text, new RegExp(`name="sourceId" value="${olderWww}"[^>]* checked`), 'adding the page again offers the older source');
    const page = await client.get(`/sources/${newerBare}`);
    assert.match(page.text, new RegExp(`same page as <a href="/sources/${olderWww}"`), 'the newer source’s page points to the older');
    const fragment = await client.getJson(`/sources?q=${encodeURIComponent('pair.example/x')}`);
    assert.deepEqual(fragment.body.sources.map((s: { id: number }) => s.id).sort(), [olderWww, newerBare].sort(), 'a search finds both');

    await up(ctx.db);
    assert.equal(await keyOf(newerBare), `https://pair.example/x#duplicate-of-${olderWww}`, 'running it again changes nothing');
    await down(ctx.db);
    for (const id of [olderWww, newerBare, olderBare, newerWww]) assert.equal(await keyOf(id), await urlOf(id), 'going back keys each source by its URL');
    await up(ctx.db);
  });
});
