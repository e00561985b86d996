import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Role } from '../../server/platform/policies.ts';
import { makeClaimIn, makeReport } from '../support/factories.ts';
import { BrowserDesk, skip, type Person } from './desk.ts';

const EARLIER = 'The new bridge over the river opened to traffic in 2019, the minister said.';
const REPEAT = 'The minister said the new bridge over the river opened to traffic in 2019.';

/**
 * Repeat claims in a real Chromium: an admin logs a claim that repeats a
 * verified one, sees the suggestion as they type, confirms it and submits the
 * claim; as its author they are refused the earlier verdict, and a reviewer
 * reuses it, the two claims side by side.
 */
describe('browser journey: a repeat claim reuses an earlier verdict', { skip }, () => {
  let desk: BrowserDesk;
  let people: Record<Role, Person>;
  let earlierId = 0;
  let reportUrl = '';
  let claimUrl = '';

  before(async () => {
    desk = await BrowserDesk.open();
    people = await desk.seat(['admin', 'editor', 'reviewer']);
    earlierId = await makeClaimIn(desk.ctx.db, 'verified', { author: desk.accounts.editor!, reviewer: desk.accounts.reviewer! });
    await desk.ctx.db('claims').where({ id: earlierId }).update({ statement: EARLIER });
    reportUrl = desk.url(`/reports/${await makeReport(desk.ctx.db, desk.accounts.admin!)}`);
  });
  after(() => desk?.close());

  test('1. as the statement is typed, the verified claim is suggested with its reasons; the claim is logged and the match confirmed', async () => {
    const { page } = people.admin;
    await page.goto(reportUrl);
    await page.getByLabel('Quote from the report').fill('the bridge opened in 2019');
    await page.getByLabel('Checkable statement').fill(REPEAT);
    const results = page.locator('[data-repeat-results]');
    await results.getByRole('link', { name: `#${earlierId}` }).waitFor();
    const said = (await results.textContent()) ?? '';
    assert.match(said, /the same as #\d+, Verified \(True\)/);
    assert.match(said, /Why: \d+% alike in wording; shares /);
    await desk.check(page, 'report page (repeat suggested while logging)');
    await page.getByRole('button', { name: 'Log claim' }).click();
    await page.waitForURL(/\/claims\/\d+$/);
    claimUrl = page.url();
    assert.match((await page.textContent('main')) ?? '', /It may repeat an earlier claim/);
    await page.getByRole('button', { name: 'Confirm: same claim' }).click();
    await page.waitForURL(`${claimUrl}#repeats`);
    const panel = (await page.locator('#repeats').textContent()) ?? '';
    assert.match(panel, new RegExp(`Same claim as #${earlierId}`));
    await desk.check(page, 'claim page (same claim confirmed)');
    await page.getByRole('button', { name: 'Submit for review' }).click();
    await page.waitForURL(claimUrl);
    assert.match((await page.textContent('main')) ?? '', /Claim submitted for review/);
  });

  test('2. the earlier claim lists the repeat, and the desk’s list counts the confirmed pair', async () => {
    const { page } = people.editor;
    await page.goto(desk.url(`/claims/${earlierId}`));
    assert.match((await page.locator('#repeats').textContent()) ?? '', /Repeated by #\d+/);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Possible repeats' }).click();
    await page.getByRole('link', { name: /Confirmed \(1\)/ }).click();
    await desk.check(page, 'possible repeats (confirmed)');
  });

  test('3. the author may not reuse the verdict on their own claim', async () => {
    const { page } = people.admin;
    await page.goto(claimUrl);
    assert.equal(await page.getByRole('link', { name: /Reuse the verdict/ }).count(), 0);
    const res = await page.goto(`${claimUrl}/reuse/${earlierId}`);
    assert.equal(res?.status(), 403);
    assert.match((await page.textContent('main')) ?? '', /four-eyes/);
  });

  test('4. a reviewer compares the two claims side by side and reuses the verdict with one action', async () => {
    const { page } = people.reviewer;
    await page.goto(claimUrl);
    await page.getByRole('link', { name: `Reuse the verdict of #${earlierId}` }).click();
    const side = (await page.textContent('main')) ?? '';
    assert.match(side, /This claim \(#\d+\)[\s\S]*The earlier claim \(#\d+\)/);
    await desk.check(page, 'reuse the verdict (side by side)');
    await page.getByRole('button', { name: /Reuse the verdict: verified/ }).click();
    await page.waitForURL(claimUrl);
    const main = (await page.textContent('main')) ?? '';
    assert.match(main, new RegExp(`Claim verified, reusing the verdict and evidence of #${earlierId}`));
    assert.match((await page.locator('.claim-id').textContent()) ?? '', /Verified\s+True/);
  });
});
