import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Role } from '../../server/platform/policies.ts';
import { makeClaim, makeClaimIn, makeEvidence, makeReport } from '../support/factories.ts';
import { BrowserDesk, skip, type Person } from './desk.ts';

/**
 * Working many claims at once in a real Chromium: an editor filters the
 * claims list, chooses every claim that matches, previews submitting them
 * (the one already in review is named with why it will not change), applies
 * it and sees the result; then saves the filters as a view and reopens it
 * from the views menu. With JavaScript, shift-click ticks a range and the
 * count follows.
 */
describe('browser journey: a batch of claims submitted at once, and a saved view', { skip }, () => {
  let desk: BrowserDesk;
  let people: Record<Role, Person>;
  let drafts: number[] = [];

  before(async () => {
    desk = await BrowserDesk.open();
    people = await desk.seat(['editor']);
    const editor = desk.accounts.editor!;
    const db = desk.ctx.db;
    const report = await makeReport(db, editor);
    drafts = [];
    for (let i = 0; i < 3; i++) {
      const id = await makeClaim(db, editor, report, { tags: ['batch'], statement: `Batch claim number ${i + 1} is checkable.` });
      await makeEvidence(db, editor, id);
      drafts.push(id);
    }
    const inReview = await makeClaimIn(db, 'in_review', { author: editor, reportId: report });
    await db('claims').where({ id: inReview }).update({ tags: ['batch'] });
  });
  after(() => desk?.close());

  test('1. with JavaScript, shift-click ticks a range and the count follows', async () => {
    const { page } = people.editor;
    await page.goto(desk.url('/claims?tag=batch&sort=oldest'));
    const boxes = page.locator('[data-bulk-item]');
    assert.equal(await boxes.count(), 4);
    await boxes.nth(0).click();
    await boxes.nth(2).click({ modifiers: ['Shift'] });
    assert.equal(await page.locator('[data-bulk-count]').textContent(), '3 claims ticked.');
    await page.locator('[data-bulk-all]').check();
    assert.equal(await page.locator('[data-bulk-count]').textContent(), '4 claims ticked.');
    await page.locator('[data-bulk-all]').uncheck();
  });

  test('2. filter, choose all that match, preview, apply, see the result', async () => {
    const { page } = people.editor;
    await page.goto(desk.url('/claims'));
    await page.locator('#field-tag').fill('batch');
    await page.getByRole('button', { name: 'Show claims' }).click();
    await page.waitForURL(/tag=batch/);
    await page.getByLabel('All 4 that match the filters').check();
    await page.locator('#field-bulkAction').selectOption('submit');
    await desk.check(page, 'claims list (bulk form)');
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.waitForURL(/\/claims\/bulk\/[0-9a-f-]{36}$/);
    assert.match((await page.locator('#bulk-summary').textContent()) ?? '', /This will submit 3 claims for review\.\s*1 claim will not change/);
    assert.match((await page.locator('[data-skip-group]').textContent()) ?? '', /only claims that are draft can be submitted for review/);
    await desk.check(page, 'bulk preview');
    await page.getByRole('button', { name: 'Apply to 3 claims' }).click();
    assert.match((await page.locator('#bulk-summary').textContent()) ?? '', /3 claims changed \(submit for review\)/);
    await desk.check(page, 'bulk result');
    const statuses = (await desk.ctx.db('claims').whereIn('id', drafts).select('status')).map((c) => c.status);
    assert.deepEqual(statuses, ['in_review', 'in_review', 'in_review']);
  });

  test('3. save the filters as a view, and reopen it from the menu', async () => {
    const { page } = people.editor;
    await page.goto(desk.url('/claims?tag=batch'));
    await page.getByRole('link', { name: 'Save these filters as a view' }).click();
    await page.getByLabel('Name').fill('Batch claims');
    await desk.check(page, 'save a view');
    await page.getByRole('button', { name: 'Save view' }).click();
    await page.waitForURL(/\/claims\?tag=batch$/);
    await page.goto(desk.url('/review'));
    const menu = page.getByRole('navigation', { name: 'Views' });
    assert.match((await menu.textContent()) ?? '', /Batch claims\s*4/);
    await menu.getByRole('link', { name: 'Batch claims' }).click();
    await page.waitForURL(/\/claims\?tag=batch$/);
    assert.equal(await page.locator('nav[aria-label="Views"] a[aria-current="page"]').textContent(), 'Batch claims');
  });
});
