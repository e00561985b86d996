import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { JSDOM } from 'jsdom';
import type { User } from '../../server/accounts/users.repo.ts';
import { appWithEditor, type TestContext } from '../support/app.ts';
import { Client } from '../support/client.ts';
import { makeClaim, makeReport, makeSource } from '../support/factories.ts';
import { eventually } from '../support/eventually.ts';

const CLAIM_JS = readFileSync(new URL('../../public/js/claim.js', import.meta.url), 'utf8');

describe('finding a library source while adding evidence', () => {
  let ctx: TestContext;
  let editor: User;
  let client: Client;
  let claimId: number;
  let linkedId: number;
  let otherId: number;
  before(async () => {
    ({ ctx, editor, client } = await appWithEditor());
    claimId = await makeClaim(ctx.db, editor, await makeReport(ctx.db, editor));
    linkedId = await makeSource(ctx.db, editor, { title: 'Ministry statement on the bridge', publisher: 'Ministry', reliability: 'A' });
    otherId = await makeSource(ctx.db, editor, { title: 'Ministry archive of statements', publisher: 'Ministry', reliability: 'C' });
    assert.equal((await client.post(`/claims/${claimId}/evidence`, { relation: 'origin', credibility: 2, sourceId: linkedId })).status, 303);
  });
  after(() => ctx.close());

  test('a search that finds nothing says so, and how to go on', async () => {
    const page = await client.get(`/claims/${claimId}?sourceQuery=zzzz`);
    assert.equal(page.status, 200);
    assert.match(page.text, /No source in the library matches “zzzz”. Check the spelling, or add it as a new source./);
  });

  test('each source found says what its reliability means, and whether the claim already cites it', async () => {
    const page = await client.get(`/claims/${claimId}?sourceQuery=ministry`);
    const { document } = new JSDOM(page.text).window;
    const hint = (id: number) => document.getElementById(document.querySelector(`input[name="sourceId"][value="${id}"]`)!.getAttribute('aria-describedby')!)!.textContent!;
    assert.match(hint(linkedId), /Reliability A · Completely reliable · Already linked to this claim/);
    assert.match(hint(otherId), /Reliability C · Fairly reliable$/);
    assert.match(document.getElementById('field-sourceId-status')!.textContent!, /Sources in the library that match “ministry”/);
  });

  test('the two rating scales say what each rates, where they are picked', async () => {
    const page = await client.get(`/claims/${claimId}`);
    const { document } = new JSDOM(page.text).window;
    const describedBy = (id: string) => document.getElementById(id)!.closest('fieldset')!.getAttribute('aria-describedby') ?? '';
    assert.match(document.getElementById(describedBy('field-newReliability').split(' ')[0]!)!.textContent!, /this source can be trusted in general/);
    assert.match(document.getElementById(describedBy('field-credibility').split(' ')[0]!)!.textContent!, /this piece of information can be believed, whatever its source/);
    const linkId = (await ctx.db('evidence_links').where({ claim_id: claimId }).first('id')).id as number;
    const edit = await client.get(`/claims/${claimId}/evidence/${linkId}/edit`);
    assert.match(edit.text, /id="field-credibility-hint">How far this piece of information can be believed/);
  });

  test('searching again as you type keeps the source already chosen, listed and chosen', async () => {
    const page = await client.get(`/claims/${claimId}?sourceQuery=archive`);
    const dom = new JSDOM(page.text, { runScripts: 'outside-only', url: 'http://factdesk.test/' });
    // The page's script asks the real app for results.
    Object.assign(dom.window, {
      fetch: async (path: string) => {
        const res = await client.getJson(path);
        return { ok: res.status === 200, json: async () => res.body as unknown };
      },
    });
    dom.window.eval(CLAIM_JS);
    const { document } = dom.window;
    const radio = (id: number | string) => document.querySelector<HTMLInputElement>(`input[name="sourceId"][value="${id}"]`);
    radio(otherId)!.checked = true;
    radio(otherId)!.dispatchEvent(new dom.window.Event('change', { bubbles: true }));
    assert.ok(document.querySelector('[data-new-source]')!.closest('[hidden]'), 'the new-source fields hide once a library source is chosen');

    const input = document.getElementById('field-sourceQuery') as HTMLInputElement;
    input.value = 'zzzz';
    input.dispatchEvent(new dom.window.Event('input'));
    const status = document.getElementById('field-sourceId-status')!;
    await eventually(() => /No source/.test(status.textContent!), { what: 'the search to answer' });
    assert.match(status.textContent!, /No source in the library matches “zzzz”/);
    assert.ok(radio(otherId)?.checked, 'the chosen source is still there and chosen');
    assert.equal(document.getElementById('field-sourceId'), radio(otherId), 'and is the first choice, where the error summary links');
    assert.equal(document.querySelectorAll('#field-sourceId').length, 1, 'ids stay unique');
    assert.ok(document.querySelector('[data-new-source]')!.closest('[hidden]'));
  });
});
