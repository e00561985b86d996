import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Role } from '../../server/platform/policies.ts';
import { citeSource } from '../../server/sources/provenance.commands.ts';
import { makeClaim, makeEvidence, makeReport, makeSource } from '../support/factories.ts';
import { BrowserDesk, skip, type Person } from './desk.ts';

/**
 * Provenance in a real Chromium: a claim supported by two outlets that both
 * republish one wire story warns that they are one origin, and its suggested
 * confidence says "1 independent origin"; when the editor finds that the
 * second outlet reported on its own and takes the link away, the suggestion
 * rises. The problems page lists a loop of citations.
 */
describe('browser journey: two outlets repeating one wire story are one origin', { skip }, () => {
  let desk: BrowserDesk;
  let people: Record<Role, Person>;
  let claimUrl = '';
  let wireId = 0;

  before(async () => {
    desk = await BrowserDesk.open();
    people = await desk.seat(['editor']);
    const editor = desk.accounts.editor!;
    const db = desk.ctx.db;
    const wire = await makeSource(db, editor, { title: 'Wire: ministers agree the plan', url: 'https://wire-agency.example/plan', reliability: 'A' });
    const paperOne = await makeSource(db, editor, { title: 'Morning Paper: ministers agree the plan', url: 'https://morning-paper.example/plan', reliability: 'A' });
    await citeSource(db, editor, paperOne, { cited: `#${wire}`, kind: 'republishes' });
    const claimId = await makeClaim(db, editor, await makeReport(db, editor));
    await makeEvidence(db, editor, claimId, { sourceId: paperOne, relation: 'supports', credibility: 2 });
    claimUrl = desk.url(`/claims/${claimId}`);
    const [a, b] = [await makeSource(db, editor, { title: 'Blog says the agency said it' }), await makeSource(db, editor, { title: 'Agency cites the blog' })];
    await citeSource(db, editor, a, { cited: `#${b}`, kind: 'based_on' });
    await citeSource(db, editor, b, { cited: `#${a}`, kind: 'quotes' });
    wireId = wire;
  });
  after(() => desk?.close());

  test('1. the editor adds a second outlet that republishes the wire story: the claim warns, and the reasons say 1 independent origin', async () => {
    const { page } = people.editor;
    await page.goto(claimUrl);
    await page.locator('#field-newTitle').fill('Evening Paper: ministers agree the plan');
    await page.locator('#field-newUrl').fill('https://evening-paper.example/plan');
    await page.getByRole('radio', { name: /^A · / }).first().check();
    await page.getByLabel('Source it repeats').fill(`#${wireId}`);
    await page.getByLabel('How', { exact: true }).selectOption('republishes');
    await page.getByRole('radio', { name: 'Supports' }).check();
    await page.getByRole('radio', { name: /^2 · / }).check();
    await page.getByRole('button', { name: 'Add evidence' }).click();
    await page.waitForURL(/#evidence$/);
    const warning = (await page.locator('[data-provenance="shared"]').textContent()) ?? '';
    assert.match(warning, /One origin, not 2:.*both lead back to “Wire: ministers agree the plan”/s);
    const reasons = (await page.locator('[data-suggestion-reasons]').textContent()) ?? '';
    assert.match(reasons, /2 supporting sources, 1 independent origin/);
    assert.match((await page.locator('.suggestion strong').textContent()) ?? '', /Moderate/);
    await desk.check(page, 'claim page (two outlets, one origin)');
  });

  test('2. the second outlet reported on its own: the editor removes its link to the wire story, and the suggestion rises', async () => {
    const { page } = people.editor;
    await page.getByRole('link', { name: 'Evening Paper: ministers agree the plan' }).first().click();
    await page.waitForURL(/\/sources\/\d+$/);
    assert.match((await page.locator('#source-origins').textContent()) ?? '', /Origin: Wire: ministers agree the plan/);
    await desk.check(page, 'source page (chain)');
    await page.getByRole('button', { name: /Remove the link to Wire: ministers agree the plan/ }).click();
    await page.waitForURL(/#provenance$/);
    assert.match((await page.locator('#provenance').textContent()) ?? '', /not recorded as repeating another/);
    await page.goto(claimUrl);
    assert.equal(await page.locator('[data-provenance="shared"]').count(), 0);
    assert.match((await page.locator('.suggestion strong').textContent()) ?? '', /High/);
    assert.doesNotMatch((await page.locator('[data-suggestion-reasons]').textContent()) ?? '', /independent origin/);
  });

  test('3. the problems page lists the loop of citations', async () => {
    const { page } = people.editor;
    await page.goto(desk.url('/sources'));
    await page.getByRole('link', { name: 'Provenance problems' }).click();
    const loop = (await page.locator('[data-loop]').first().textContent()) ?? '';
    assert.match(loop, /“Blog says the agency said it” is based on “Agency cites the blog”, which quotes “Blog says the agency said it”/);
    await desk.check(page, 'provenance problems');
  });
});
