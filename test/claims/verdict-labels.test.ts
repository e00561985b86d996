import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import type { User } from '../../server/accounts/users.repo.ts';
import { createTestApp, type TestContext } from '../support/app.ts';
import { Client } from '../support/client.ts';
import { makeClaimIn, makeDesk, makeEvidence } from '../support/factories.ts';
import { exportsSettled } from '../exports/support.ts';

/**
 * Verdicts in the desk's own words: an admin keeps the labels, a reviewer
 * decides with one, and the label goes wherever the verdict goes.
 */
describe('verdict labels', () => {
  let ctx: TestContext;
  let people: Record<'admin' | 'editor' | 'reviewer', User>;
  let admin: Client;
  let reviewer: Client;
  let editor: Client;
  const labelId = async (name: string) => ((await ctx.db('verdict_labels').whereRaw('lower(name) = lower(?)', [name]).first('id')) as { id: number } | undefined)?.id;
  const claim = async (id: number) => (await ctx.db('claims as c').leftJoin('verdict_labels as l', 'l.id', 'c.verdict_label_id').where('c.id', id).first('c.status', 'l.name as label', 'c.version')) as { status: string; label: string | null; version: number };

  before(async () => {
    ctx = await createTestApp();
    people = await makeDesk(ctx.db, ['admin', 'editor', 'reviewer']);
    admin = await Client.signedIn(ctx.app, people.admin);
    reviewer = await Client.signedIn(ctx.app, people.reviewer);
    editor = await Client.signedIn(ctx.app, people.editor);
  });
  after(async () => {
    await exportsSettled(ctx.db);
    await ctx.close();
  });

  test('the desk starts with a scale, and a decision taken without choosing gets the plainest label of its status', async () => {
    const names = ((await ctx.db('verdict_labels').orderBy('position').select('name', 'status', 'rating')) as { name: string }[]).map((l) => Object.values(l).join('/'));
    assert.deepEqual(names, ['True/verified/5', 'Mostly true/verified/4', 'Mostly false/refuted/2', 'False/refuted/1', 'Unverifiable/unverifiable/']);
    for (const [status, label] of [['verified', 'True'], ['refuted', 'False'], ['unverifiable', 'Unverifiable']] as const) {
      assert.equal((await claim(await makeClaimIn(ctx.db, status, { author: people.editor, reviewer: people.reviewer }))).label, label);
    }
  });

  test('only an admin keeps the labels', async () => {
    assert.equal((await admin.get('/admin/labels')).status, 200);
    assert.equal((await reviewer.get('/admin/labels')).status, 403);
    assert.equal((await editor.post('/admin/labels', { name: 'Sneaky', status: 'verified', colour: '#000000' })).status, 403);
    assert.equal(await labelId('Sneaky'), undefined);
  });

  test('a label with a bad name, colour or rating is refused beside its field, the input kept; a name the desk has is refused', async () => {
    const res = await admin.post('/admin/labels', { name: '', status: 'refuted', colour: 'red', rating: '9', description: 'Kept text' });
    assert.equal(res.status, 400);
    assert.match(res.text, /id="field-name-error"/);
    assert.match(res.text, /id="field-colour-error"[^>]*>(?:(?!<\/p>).)*Choose a colour/);
    assert.match(res.text, /id="field-rating-error"/);
    assert.match(res.text, />Kept text<\/textarea>/);
    const taken = await admin.post('/admin/labels', { name: 'mostly TRUE', status: 'verified', colour: '#00aa00' });
    assert.equal(taken.status, 400);
    assert.match(taken.text, /has a label with this name already/);
  });

  test('an admin adds "Misleading"; a reviewer refutes with it; it shows on the claim, in the list filter, the CSV and ClaimReview', async () => {
    const added = await admin.post('/admin/labels', { name: 'Misleading', status: 'refuted', rating: '2', colour: '#AD1457', description: 'Accurate words that give a false picture.' });
    assert.equal(added.status, 303);
    const id = (await labelId('Misleading'))!;
    const claimId = await makeClaimIn(ctx.db, 'in_review', { author: people.editor });
    await makeEvidence(ctx.db, people.editor, claimId, { relation: 'contradicts' });
    const page = await reviewer.get(`/claims/${claimId}`);
    assert.match(page.text, new RegExp(`name="label" value="${id}"`), 'the reviewer is offered the new label');
    assert.match(page.text, /Accurate words that give a false picture\./);
    // A label of another status is refused beside the field, and nothing is decided.
    const wrong = await reviewer.post(`/claims/${claimId}/verify`, { version: (await claim(claimId)).version, confidence: 'high', comment: 'Supported on balance.', label: id });
    assert.equal(wrong.status, 400);
    assert.match(wrong.text, /id="field-label-error"[^>]*>(?:(?!<\/p>).)*“Misleading” is a label for refuted claims/);
    assert.equal((await claim(claimId)).status, 'in_review');
    const res = await reviewer.post(`/claims/${claimId}/refute`, { version: (await claim(claimId)).version, confidence: 'moderate', comment: 'Missing the context.', label: id });
    assert.equal(res.status, 303);
    assert.equal((await claim(claimId)).label, 'Misleading');
    const event = (await ctx.db('claim_events').where({ claim_id: claimId, type: 'transition', to_status: 'refuted' }).first('data')) as { data: { label: string } };
    assert.equal(event.data.label, 'Misleading');
    assert.match((await editor.get(`/claims/${claimId}`)).text, /<span class="verdict"><svg class="swatch"[^>]*><circle cx="5" cy="5" r="5" fill="#ad1457"\/><\/svg> Misleading<\/span>/);
    const listed = await editor.getJson(`/claims?label=${id}`);
    assert.deepEqual((listed.body as { claims: { id: number }[] }).claims.map((c) => c.id), [claimId]);
    const csv = parse((await editor.get(`/claims/sheet.csv?scope=decided&label=${id}`)).text, { columns: true }) as Record<string, string>[];
    assert.deepEqual(csv.map((r) => [r['Claim ID'], r.Verdict]), [[String(claimId), 'Misleading']]);
    const review = (JSON.parse((await editor.get(`/claims/sheet.jsonld?scope=decided&label=${id}`)).text) as { '@graph': { reviewRating: Record<string, string> }[] })['@graph'][0]!;
    assert.deepEqual(review.reviewRating, { '@type': 'Rating', ratingValue: '2', bestRating: '5', worstRating: '1', alternateName: 'Misleading' });
    assert.match((await editor.get('/')).text, new RegExp(`href="/claims\\?label=${id}">Misleading</a></td><td>Refuted</td><td class="num">1</td>`));
  });

  test('a rename shows everywhere at once; a stale form is a 409 that keeps what was typed', async () => {
    const id = (await labelId('Misleading'))!;
    const { version } = (await ctx.db('verdict_labels').where({ id }).first('version')) as { version: number };
    const form = { version, name: 'Misleading claim', rating: '2', colour: '#ad1457', description: 'Accurate words that give a false picture.' };
    assert.equal((await admin.post(`/admin/labels/${id}`, form)).status, 303);
    const csv = parse((await editor.get(`/claims/sheet.csv?scope=decided&label=${id}`)).text, { columns: true }) as Record<string, string>[];
    assert.equal(csv[0]!.Verdict, 'Misleading claim');
    const stale = await admin.post(`/admin/labels/${id}`, { ...form, name: 'Misleading again' });
    assert.equal(stale.status, 409);
    assert.match(stale.text, /value="Misleading again"/);
  });

  test('labels move up and down the order reviewers see', async () => {
    const id = (await labelId('Misleading claim'))!;
    const order = async () => ((await ctx.db('verdict_labels').orderBy('position').select('name')) as { name: string }[]).map((l) => l.name);
    const before = await order();
    assert.equal((await admin.post(`/admin/labels/${id}/move`, { direction: 'up' })).status, 303);
    const after = await order();
    const at = before.indexOf('Misleading claim');
    assert.equal(after.indexOf('Misleading claim'), at - 1);
    assert.equal(after[at], before[at - 1]);
  });

  test('a label in use is deleted only with its claims moved to another of its status, each move in the history; the last of a status stays', async () => {
    const id = (await labelId('Misleading claim'))!;
    const falseId = (await labelId('False'))!;
    const carried = ((await ctx.db('claims').where({ verdict_label_id: id }).select('id')) as { id: number }[]).map((c) => c.id);
    assert.equal(carried.length, 1);
    const refused = await admin.post(`/admin/labels/${id}/delete`, {});
    assert.equal(refused.status, 400);
    assert.match(refused.text, /1 claim carries “Misleading claim”: choose another refuted label for it/);
    assert.equal((await admin.post(`/admin/labels/${id}/delete`, { moveTo: (await labelId('True'))! })).status, 400, 'not a label of another status');
    assert.equal((await admin.post(`/admin/labels/${id}/delete`, { moveTo: falseId })).status, 303);
    assert.equal(await labelId('Misleading claim'), undefined);
    assert.equal((await claim(carried[0]!)).label, 'False');
    const moved = (await ctx.db('claim_events').where({ claim_id: carried[0]!, type: 'relabelled' }).first('actor_id', 'data')) as { actor_id: number; data: unknown };
    assert.deepEqual(moved, { actor_id: people.admin.id, data: { from: 'Misleading claim', to: 'False', reason: 'label deleted' } });
    assert.match((await editor.get(`/claims/${carried[0]}`)).text, /moved the verdict from the label “Misleading claim” to “False” \(the label was deleted\)/);
    const last = await admin.post(`/admin/labels/${(await labelId('Unverifiable'))!}/delete`, { moveTo: '' });
    assert.equal(last.status, 400);
    assert.match(last.text, /the only label for unverifiable claims/);
  });

  test('the database keeps a decided claim to one label of its status, and one that is not decided to none', async () => {
    const refuted = await makeClaimIn(ctx.db, 'refuted', { author: people.editor, reviewer: people.reviewer });
    const inReview = await makeClaimIn(ctx.db, 'in_review', { author: people.editor });
    await assert.rejects(ctx.appDb('claims').where({ id: refuted }).update({ verdict_label_id: (await labelId('True'))! }), /one verdict label of its status/);
    await assert.rejects(ctx.appDb('claims').where({ id: refuted }).update({ verdict_label_id: null }), /one verdict label of its status/);
    await assert.rejects(ctx.appDb('claims').where({ id: inReview }).update({ verdict_label_id: (await labelId('False'))! }), /one verdict label of its status/);
    const res = await reviewer.post(`/claims/${refuted}/reopen`, { version: (await claim(refuted)).version, comment: 'New figures.' });
    assert.equal(res.status, 303);
    assert.deepEqual([(await claim(refuted)).status, (await claim(refuted)).label], ['changes_requested', null], 'reopened: no verdict, no label');
  });
});
