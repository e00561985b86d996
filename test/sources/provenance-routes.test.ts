import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { JSDOM } from 'jsdom';
import type { User } from '../../server/accounts/users.repo.ts';
import { linkLibrarySource } from '../../server/sources/evidence.commands.ts';
import { appWithEditor, type TestContext } from '../support/app.ts';
import { Client } from '../support/client.ts';
import { makeClaim, makeClaimIn, makeEvidence, makeReport, makeSource, makeUser } from '../support/factories.ts';
import { exportsSettled } from '../exports/support.ts';

/** Provenance through the app: naming the source a source repeats, loops, one origin on the claim, credibility 1, excerpts that read alike. */
describe('source provenance', () => {
  let ctx: TestContext;
  let editor: User;
  let client: Client;
  before(async () => {
    ({ ctx, editor, client } = await appWithEditor());
  });
  after(async () => {
    await exportsSettled(ctx.db);
    await ctx.close();
  });

  const cite = (from: number, cited: string, kind = 'republishes') => client.post(`/sources/${from}/citations`, { cited, kind });
  const text = (html: string, selector: string) => [...new JSDOM(html).window.document.querySelectorAll(selector)].map((e) => e.textContent!.replace(/\s+/g, ' ').trim());

  test('two outlets republishing one wire story: the claim warns, the reasons say 1 independent origin, and taking the link away makes them independent', async () => {
    const wire = await makeSource(ctx.db, editor, { title: 'AP: plan drafted', url: 'https://apnews.com/article/plan', reliability: 'A' });
    const paperOne = await makeSource(ctx.db, editor, { title: 'Paper one runs the AP story', url: 'https://paper-one.example/plan', reliability: 'A' });
    const paperTwo = await makeSource(ctx.db, editor, { title: 'Paper two runs the AP story', url: 'https://paper-two.example/plan', reliability: 'B' });
    const claimId = await makeClaim(ctx.db, editor, await makeReport(ctx.db, editor));
    for (const sourceId of [paperOne, paperTwo]) await makeEvidence(ctx.db, editor, claimId, { sourceId, relation: 'supports', credibility: 2 });
    assert.equal((await client.getJson(`/claims/${claimId}`)).body.suggestion.level, 'high', 'two outlets, nothing named: independent');
    const versionBefore = (await ctx.db('claims').where({ id: claimId }).first()).version;

    assert.equal((await cite(paperOne, `#${wire}`)).status, 303, 'by number');
    assert.equal((await cite(paperTwo, 'http://www.apnews.com/article/plan/')).status, 303, 'by address, in another form');
    const json = (await client.getJson(`/claims/${claimId}`)).body;
    assert.equal(json.suggestion.level, 'moderate');
    assert.match(json.suggestion.reasons.join(' '), /2 supporting sources, 1 independent origin: both lead back to “AP: plan drafted”/);
    const page = await client.get(`/claims/${claimId}`);
    assert.deepEqual(text(page.text, '[data-provenance="shared"]'), ['One origin, not 2: “Paper one runs the AP story” and “Paper two runs the AP story” — both lead back to “AP: plan drafted”. They count as one confirmation.']);
    assert.match(text(page.text, '[data-repeats]')[0]!, /Republishes AP: plan drafted/);
    assert.ok((await ctx.db('claims').where({ id: claimId }).first()).version > versionBefore, 'an open claim citing the source gets a new version');
    const history = await ctx.db('claim_events').where({ claim_id: claimId, type: 'source_changed' }).orderBy('id');
    assert.deepEqual(history.map((e) => e.data.changes.repeats.to), [`republishes “AP: plan drafted” (#${wire})`, `republishes “AP: plan drafted” (#${wire})`]);

    const sourcePage = await client.get(`/sources/${paperTwo}`);
    assert.match(text(sourcePage.text, '#source-origins')[0]!, /Origin: AP: plan drafted\./);
    assert.match(text((await client.get(`/sources/${wire}`)).text, '#repeated-by')[0]!, /Paper one runs the AP story \(republishes this\)/);

    assert.equal((await client.post(`/sources/${paperTwo}/citations/${wire}/delete`)).status, 303);
    const after = (await client.getJson(`/claims/${claimId}`)).body;
    assert.equal(after.suggestion.level, 'high');
    assert.deepEqual(after.provenance.sharedOrigins, []);
  });

  test('a loop of three and a self-citation are shown on the sources, on every claim using a source on them, and on the problems page', async () => {
    const [a, b, c, alone] = [
      await makeSource(ctx.db, editor, { title: 'Loop A' }),
      await makeSource(ctx.db, editor, { title: 'Loop B' }),
      await makeSource(ctx.db, editor, { title: 'Loop C' }),
      await makeSource(ctx.db, editor, { title: 'Cites itself' }),
    ];
    await cite(a, String(b), 'based_on');
    await cite(b, `/sources/${c}`, 'quotes');
    await cite(c, `#${a}`, 'based_on');
    await cite(alone, `#${alone}`, 'based_on');
    const claimId = await makeClaim(ctx.db, editor, await makeReport(ctx.db, editor));
    await makeEvidence(ctx.db, editor, claimId, { sourceId: b, relation: 'supports' });
    const loopWords = '“Loop A” is based on “Loop B”, which quotes “Loop C”, which is based on “Loop A”';
    assert.deepEqual(text((await client.get(`/claims/${claimId}`)).text, '[data-provenance="loop"] .user-text'), [loopWords]);
    assert.match(text((await client.get(`/sources/${c}`)).text, '[data-provenance="loop"]')[0]!, /This source is on the loop/);
    const problems = await client.get('/sources/provenance');
    assert.equal(problems.status, 200);
    const loops = text(problems.text, '[data-loop]');
    assert.ok(loops.some((l) => l.startsWith(`${loopWords}.`) && /used by 1 claim\b/.test(l)), loops.join('\n'));
    assert.ok(loops.some((l) => l.startsWith('“Cites itself” cites itself.')), loops.join('\n'));
    assert.match(text((await client.get(`/sources/${a}`)).text, '.chain')[0]!, /back to a source already on this chain: a loop/);
  });

  test('naming a source that is not in the library is refused beside the field with the input kept; an unknown source is a 404; readers may not', async () => {
    const source = await makeSource(ctx.db, editor, { title: 'Citing one' });
    const refused = await cite(source, 'https://nowhere.example/never-added');
    assert.equal(refused.status, 400);
    const doc = new JSDOM(refused.text).window.document;
    assert.match(doc.getElementById('field-cited-error')!.textContent!, /No source in the library has that number or address/);
    assert.equal((doc.getElementById('field-cited') as HTMLInputElement).value, 'https://nowhere.example/never-added');
    assert.match(doc.querySelector('[data-error-summary]')!.textContent!, /No source in the library/);
    assert.equal((await cite(source, '#1', 'copies')).status, 400, 'an unknown kind');
    assert.equal((await cite(999_999, '#1')).status, 404);
    assert.equal((await client.post(`/sources/${source}/citations/999999/delete`)).status, 404);
    assert.equal((await ctx.db('source_citations').where({ source_id: source })).length, 0, 'nothing stored');
  });

  test('credibility 1 is refused until two supporting sources of different origins are linked, with the reason beside the field', async () => {
    const claimId = await makeClaim(ctx.db, editor, await makeReport(ctx.db, editor));
    const first = await makeSource(ctx.db, editor, { title: 'First confirmation' });
    const second = await makeSource(ctx.db, editor, { title: 'Second confirmation' });
    const refused = await client.post(`/claims/${claimId}/evidence`, { sourceId: first, relation: 'supports', credibility: 1, excerpt: 'Kept excerpt' });
    assert.equal(refused.status, 400);
    const doc = new JSDOM(refused.text).window.document;
    assert.match(doc.getElementById('field-credibility-error')!.textContent!, /needs at least two supporting sources with different origins and outlets, and this claim has 1 independent origin/);
    assert.equal((doc.getElementById('field-excerpt') as HTMLTextAreaElement).value, 'Kept excerpt');
    assert.equal((await ctx.db('evidence_links').where({ claim_id: claimId })).length, 0, 'nothing half-stored');

    assert.equal((await client.post(`/claims/${claimId}/evidence`, { sourceId: first, relation: 'supports', credibility: 2 })).status, 303);
    const secondAdded = await client.post(`/claims/${claimId}/evidence`, { sourceId: second, relation: 'supports', credibility: 1, repeatsSource: `#${first}`, repeatsKind: 'based_on' });
    assert.equal(secondAdded.status, 400, 'one origin: the second repeats the first');
    assert.match(secondAdded.text, /this claim has 1 independent origin/);
    assert.equal((await ctx.db('source_citations').where({ source_id: second })).length, 0, 'the citation named in the refused form is not kept');

    assert.equal((await client.post(`/claims/${claimId}/evidence`, { sourceId: second, relation: 'supports', credibility: 1 })).status, 303, 'independent: allowed');
    await cite(second, `#${first}`, 'based_on');
    const page = await client.get(`/claims/${claimId}`);
    assert.match(text(page.text, '[data-provenance="credibility"]')[0]!, /Credibility 1 on “Second confirmation”: .*1 independent origin/);
  });

  test('supporting excerpts that read nearly alike are flagged; "same origin" makes them one; a judgement made meanwhile is a 409', async () => {
    const reviewer = await makeUser(ctx.db, { role: 'reviewer' });
    const other = await Client.signedIn(ctx.app, reviewer);
    const claimId = await makeClaim(ctx.db, editor, await makeReport(ctx.db, editor));
    const wire = 'The envoy said on Tuesday that talks on the 28-point plan would resume in Geneva next week, according to two officials.';
    const x = await makeSource(ctx.db, editor, { title: 'Outlet X', reliability: 'A' });
    const y = await makeSource(ctx.db, editor, { title: 'Outlet Y', reliability: 'A' });
    const z = await makeSource(ctx.db, editor, { title: 'Outlet Z', reliability: 'A' });
    await linkLibrarySource(ctx.db, editor, claimId, { sourceId: x, relation: 'supports', credibility: 2, excerpt: wire });
    await linkLibrarySource(ctx.db, editor, claimId, { sourceId: y, relation: 'supports', credibility: 2, excerpt: wire.replace('Tuesday', 'Tuesday,') + ' ' });
    await linkLibrarySource(ctx.db, editor, claimId, { sourceId: z, relation: 'supports', credibility: 2, excerpt: 'Officials in Kyiv would not say whether a meeting was planned at all this month.' });
    const pairs = await ctx.db('source_origin_pairs').select('source_a', 'source_b', 'state');
    assert.deepEqual(pairs.filter((p) => [x, y, z].includes(p.source_a)), [{ source_a: x, source_b: y, state: 'suggested' }], 'only the pair that reads alike');
    const page = await client.get(`/claims/${claimId}`);
    assert.match(text(page.text, '[data-provenance="pair"]')[0]!, /Possibly one origin: the excerpts from “Outlet X” and “Outlet Y” are \d+% alike/);
    assert.equal((await client.getJson(`/claims/${claimId}`)).body.suggestion.level, 'high');
    assert.match(text((await client.get('/sources/provenance')).text, '#origin-pairs tbody tr')[0]!, /Outlet X and Outlet Y/);

    assert.equal((await client.post(`/claims/${claimId}/origins/${x}/${y}`, { from: 'suggested', judgement: 'same' })).status, 303);
    const judged = (await client.getJson(`/claims/${claimId}`)).body.suggestion;
    assert.match(judged.reasons.join(' '), /3 supporting sources, 2 independent origins: “Outlet X” and “Outlet Y”: an editor judged their excerpts one origin/);
    const stale = await other.post(`/claims/${claimId}/origins/${x}/${y}`, { from: 'suggested', judgement: 'independent' });
    assert.equal(stale.status, 409);
    assert.match(text(stale.text, '#field-provenance')[0]!, /judged these two sources meanwhile \(one origin\)/);
    assert.equal((await ctx.db('source_origin_pairs').where({ source_a: x, source_b: y }).first()).state, 'same');
    const event = await ctx.db('claim_events').where({ claim_id: claimId, type: 'source_changed' }).orderBy('id', 'desc').first();
    assert.deepEqual(event.data.changes, { origin: { from: 'possibly one origin', to: 'one origin' } });
    assert.equal((await client.post(`/claims/${claimId}/origins/${x}/${z}`, { from: 'suggested', judgement: 'same' })).status, 404, 'a pair never flagged');
    const elsewhere = await makeClaim(ctx.db, editor, await makeReport(ctx.db, editor));
    assert.equal((await client.post(`/claims/${elsewhere}/origins/${x}/${y}`, { from: 'same', judgement: 'independent' })).status, 404, 'judged only on a claim that cites both');
  });

  test('the claim sheet names each source’s origin: CSV, evidence CSV, JSON and the printable sheet', async () => {
    const reviewer = await makeUser(ctx.db, { role: 'reviewer' });
    const reportId = await makeReport(ctx.db, editor, { title: 'Origins report' });
    const claimId = await makeClaimIn(ctx.db, 'verified', { author: editor, reviewer, reportId });
    const origin = await makeSource(ctx.db, editor, { title: 'The original study' });
    const [link] = await ctx.db('evidence_links').where({ claim_id: claimId, relation: 'supports' }).select('source_id');
    await cite(link.source_id, `#${origin}`, 'based_on');

    const csv = parse((await client.get(`/reports/${reportId}/sheet.csv`)).text.replace(/^\uFEFF/, ''), { columns: true }) as Record<string, string>[];
    assert.match(csv[0]!['Supporting sources']!, /\(origin: The original study\)$/m);
    const evidence = parse((await client.get(`/reports/${reportId}/sheet.evidence.csv`)).text.replace(/^\uFEFF/, ''), { columns: true }) as Record<string, string>[];
    assert.deepEqual(evidence.map((e) => e.Origin), ['The original study']);
    const json = (await client.getJson(`/reports/${reportId}/sheet.json`)).body as { claims: { evidence: { origins: { title: string }[] }[] }[] };
    assert.deepEqual(json.claims[0]!.evidence[0]!.origins.map((o) => o.title), ['The original study']);
    assert.match((await client.get(`/reports/${reportId}/sheet`)).text, /Origin: The original study/);
  });
});
