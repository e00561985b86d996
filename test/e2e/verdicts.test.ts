import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { Role } from '../../server/platform/policies.ts';
import { makeClaimIn, makeEvidence } from '../support/factories.ts';
import { BrowserDesk, skip, type Person } from './desk.ts';

/**
 * Verdicts in the desk's words and claims true as of a day, in a real
 * Chromium: an admin adds a label, a reviewer refutes a claim with it and a
 * day to check it again, the sheet and ClaimReview carry both, and when the
 * day comes the claim is flagged and a reviewer confirms it.
 */
describe('browser journey: verdict labels and re-check dates', { skip }, () => {
  let desk: BrowserDesk;
  let people: Record<Role, Person>;
  let claimUrl = '';
  let now = new Date('2026-12-04T09:00:00Z');
  const url = (p: string) => desk.url(p);
  const check = (page: Page, name: string) => desk.check(page, name);

  before(async () => {
    desk = await BrowserDesk.open({ clock: () => now });
    people = await desk.seat(['admin', 'editor', 'reviewer']);
    const author = desk.accounts.editor!;
    const claimId = await makeClaimIn(desk.ctx.db, 'in_review', { author });
    await makeEvidence(desk.ctx.db, author, claimId, { relation: 'contradicts' });
    claimUrl = url(`/claims/${claimId}`);
  });
  after(() => desk?.close());

  test('1. the admin adds a "Misleading" label for refuted claims', async () => {
    const { page } = people.admin;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Verdict labels' }).click();
    await check(page, 'verdict labels');
    await page.getByLabel('Label', { exact: true }).fill('Misleading');
    await page.getByLabel('Status it gives').selectOption({ label: 'Refuted' });
    await page.getByLabel('Rating for ClaimReview').selectOption('2');
    await page.getByLabel('Colour').fill('#ad1457');
    await page.getByLabel('Description').fill('Accurate words that give a false picture.');
    await page.getByRole('button', { name: 'Add label' }).click();
    await page.waitForURL(url('/admin/labels'));
    assert.match((await page.textContent('main')) ?? '', /Label “Misleading” added/);
    assert.ok(await page.getByRole('link', { name: 'Misleading', exact: true }).isVisible());
  });

  test('2. the reviewer refutes the claim as "Misleading", true as of a day, to be checked again in three months', async () => {
    const { page } = people.reviewer;
    await page.goto(claimUrl);
    await page.getByLabel('Misleading (refuted)').check();
    await page.getByLabel(/^Moderate/).check();
    await page.getByLabel('Rationale or what needs to change').fill('The figure is right, but it leaves out the second quarter.');
    await page.getByLabel('True as of').fill('2026-12-01');
    await page.getByLabel('Check again', { exact: true }).selectOption({ label: 'In 3 months' });
    await check(page, 'claim page (deciding with a label and dates)');
    await page.getByRole('button', { name: 'Refute' }).click();
    await page.waitForURL(claimUrl);
    const main = (await page.textContent('main')) ?? '';
    assert.match(main, /Claim refuted\./);
    assert.match((await page.locator('.claim-id').textContent()) ?? '', /Refuted\s+Misleading/);
    assert.match(main, /True as of\s*1 Dec 2026/);
    assert.match(main, /Check again by\s*4 Mar 2027/);
  });

  test('3. the sheet and the ClaimReview export carry the label and the days', async () => {
    const { page } = people.editor;
    await page.goto(url('/claims/sheet?scope=decided'));
    const sheet = (await page.textContent('main')) ?? '';
    assert.match(sheet, /Misleading/);
    assert.match(sheet, /True as of\s*1 Dec 2026 \(check again by 4 Mar 2027\)/);
    const res = await page.request.get(url('/claims/sheet.jsonld?scope=decided'));
    const review = ((await res.json()) as { '@graph': { reviewRating: { alternateName: string; ratingValue: string }; expires: string }[] })['@graph'][0]!;
    assert.deepEqual([review.reviewRating.alternateName, review.reviewRating.ratingValue, review.expires], ['Misleading', '2', '2027-03-04']);
  });

  test('4. on the day, the claim is due; the reviewer finds it from the dashboard and confirms it for six more months', async () => {
    now = new Date('2027-03-04T09:00:00Z');
    const { page } = people.reviewer;
    await page.goto(url('/'));
    assert.match((await page.textContent('main')) ?? '', /1 decided claim is due for a re-check/);
    await page.getByRole('link', { name: 'See them' }).click();
    await page.waitForURL(url('/review/rechecks'));
    await check(page, 'due for a re-check');
    await page.getByRole('link', { name: /^#\d+$/ }).first().click();
    await page.waitForURL(claimUrl);
    assert.match((await page.textContent('main')) ?? '', /Re-check due/);
    await page.getByLabel('Check again', { exact: true }).selectOption({ label: 'In 6 months' });
    await page.getByLabel('Note for the history').fill('The office confirmed the figure today.');
    await check(page, 'claim page (re-check due)');
    await page.getByRole('button', { name: 'Confirm the verdict' }).click();
    await page.waitForURL(claimUrl);
    const main = (await page.textContent('main')) ?? '';
    assert.match(main, /Claim checked again and confirmed\./);
    assert.doesNotMatch(main, /Re-check due/);
    assert.match(main, /Check again by\s*4 Sept? 2027/);
    assert.match(main, /checked the claim again and confirmed it, true as of 2027-03-04; next check by 2027-09-04/);
  });
});
