import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import type { Page } from 'playwright-core';
import type { Role } from '../../server/platform/policies.ts';
import { BrowserDesk, FIXTURE, QUOTE, skip, type Person } from './desk.ts';

/**
 * A claim's way through the desk, in a real Chromium, as people take it:
 * the editor imports the report and logs a sentence of it, the reviewer
 * verifies it, the editor downloads the sheet. Each step depends on the one
 * before; clicks and keys only, nothing written to the database directly.
 */
describe('browser journey: from a sentence in a report to the claim sheet', { skip }, () => {
  let desk: BrowserDesk;
  let server: BrowserDesk['server'];
  let people: Record<Role, Person>;
  const url = (p: string) => desk.url(p);
  const check = (page: Page, name: string) => desk.check(page, name);
  let reportUrl = '';
  let claimUrl = '';

  before(async () => {
    desk = await BrowserDesk.open();
    server = desk.server;
    people = await desk.seat(['editor', 'reviewer']);
  });
  after(() => desk?.close());

  test('2. the editor imports the fixture, selects a sentence with the mouse, logs it, adds a source and submits it', async () => {
    const { page } = people.editor;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reports' }).click();
    await page.getByRole('link', { name: 'Import a report' }).click();
    await check(page, 'import a report');
    await page.getByLabel('Title').fill('US has been working on a 28-point plan');
    await page.getByLabel('Outlet').fill('Wire copy');
    await page.getByLabel('Or upload a file').setInputFiles(FIXTURE);
    await page.getByRole('button', { name: 'Import report' }).click();
    await page.waitForURL(/\/reports\/\d+$/);
    reportUrl = page.url();

    // Select the sentence with the mouse, from its first to its last character.
    const box = await page.evaluate((quote) => {
      const p = [...document.querySelectorAll('[data-report-text] p')].find((el) => el.textContent!.includes(quote))!;
      // The sentence may sit in a suggestion's mark: the text node that holds the quote, wherever it is in the paragraph.
      const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
      let text = walker.nextNode() as Text;
      while (!text.data.includes(quote)) text = walker.nextNode() as Text;
      const at = text.data.indexOf(quote);
      const range = document.createRange();
      range.setStart(text, at);
      range.setEnd(text, at + 1);
      const first = range.getBoundingClientRect();
      range.setStart(text, at + quote.length - 1);
      range.setEnd(text, at + quote.length);
      const last = range.getBoundingClientRect();
      return { x1: first.left + 1, y1: first.top + first.height / 2, x2: last.right - 0.5, y2: last.top + last.height / 2 };
    }, QUOTE);
    await page.mouse.move(box.x1, box.y1);
    await page.mouse.down();
    await page.mouse.move(box.x2, box.y2, { steps: 8 });
    await page.mouse.up();
    await page.waitForFunction(() => (document.querySelector('#field-quote') as HTMLTextAreaElement).value.length > 0);
    assert.equal(await page.inputValue('#field-quote'), QUOTE);
    const body = readFileSync(FIXTURE, 'utf8').normalize('NFC').trim();
    assert.equal(Number(await page.inputValue('[name=quoteStart]')), body.indexOf(QUOTE), 'the offset the browser sends is the body offset');
    await check(page, 'report page (selection)');

    await page.getByLabel('Checkable statement').fill('Russian officials are hopeful about the plan.');
    await page.getByLabel('Claimant').fill('Russian officials');
    await page.getByLabel('Kind of claim').selectOption('attributed');
    await page.getByRole('button', { name: 'Log claim' }).click();
    await page.waitForURL(/\/claims\/\d+$/);
    claimUrl = page.url();
    await check(page, 'claim page (draft)');

    await page.getByLabel('Title', { exact: true }).fill('Axios: Russian officials hopeful about the plan');
    await page.getByLabel('URL (optional)', { exact: true }).fill('https://www.axios.com/2025/11/19/russia-ukraine-peace-plan?utm_source=newsletter');
    await page.getByLabel('Publisher').fill('Axios');
    await page.getByLabel('B · Usually reliable').check();
    await page.getByLabel('Supports', { exact: true }).check();
    await page.getByLabel('Excerpt').fill('Russian officials told Axios they are hopeful about the plan.');
    await page.getByLabel('2 · Probably true').check();
    await page.getByRole('button', { name: 'Add evidence' }).click();
    await page.waitForURL(/#evidence$/);
    await assert.doesNotReject(page.locator('.evidence-table').getByRole('link', { name: 'Axios: Russian officials hopeful about the plan', exact: true }).waitFor());
    assert.equal(await page.locator('abbr.rating').first().textContent(), 'B2');

    await page.getByRole('button', { name: 'Submit for review' }).click();
    await page.waitForURL(claimUrl);
    assert.match(await page.textContent('main') ?? '', /Claim submitted for review/);
    assert.equal(await page.locator('.claim-id .status').textContent(), 'In review');
  });

  test('3. the reviewer takes the claim from the queue and verifies it; the highlight changes colour and label', async () => {
    const { page } = people.reviewer;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Review queue' }).click();
    await check(page, 'review queue');
    await page.getByRole('button', { name: 'Take next claim' }).click();
    await page.waitForURL(claimUrl);
    await check(page, 'claim page (reviewer)');
    await page.getByLabel(/^High/).check();
    await page.getByLabel('Rationale or what needs to change').fill('The Axios report quotes Russian officials saying so; the attribution is confirmed.');
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL(claimUrl);
    assert.equal(await page.locator('.claim-id .status').textContent(), 'Verified');

    await page.goto(reportUrl);
    const mark = page.locator('mark.hl', { hasText: 'hopeful' });
    assert.equal(await mark.getAttribute('class'), 'hl hl--verified');
    const label = page.locator('a.hl-label');
    assert.match(await label.textContent() ?? '', /Verified$/);
    const colour = await mark.evaluate((el) => getComputedStyle(el).backgroundColor);
    assert.notEqual(colour, 'rgba(0, 0, 0, 0)', 'the highlight has a colour');
    await check(page, 'report page (verified highlight)');
    await page.goto(url('/sources'));
    await check(page, 'sources');
  });

  test('4. the editor downloads the CSV sheet; the file parses and holds the claim', async () => {
    const { page } = people.editor;
    await page.goto(reportUrl);
    await page.getByRole('link', { name: 'Claim sheet' }).click();
    await check(page, 'claim sheet');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'CSV', exact: true }).click()]);
    assert.match(download.suggestedFilename(), /^factdesk-us-has-been-working-on-a-28-point-plan-\d{4}-\d{2}-\d{2}\.csv$/);
    const file = await download.path();
    const rows = parse(readFileSync(file!, 'utf8'), { columns: true }) as Record<string, string>[];
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.Statement, 'Russian officials are hopeful about the plan.');
    assert.equal(rows[0]!.Quote, QUOTE);
    assert.match(rows[0]!['Supporting sources']!, /Axios: Russian officials hopeful about the plan \(Axios\), https:\/\/www\.axios\.com\/2025\/11\/19\/russia-ukraine-peace-plan, B2/);
  });

  test('the claims list at 375 px is one card per row: the statement is a full-width link, nothing scrolls sideways', async () => {
    const { page } = people.editor;
    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto(url('/claims'));
    const layout = await page.evaluate(() => {
      const wrap = document.querySelector('.table-wrap')!;
      const cell = document.querySelector('tbody td.statement') as HTMLElement;
      return { scroll: wrap.scrollWidth - wrap.clientWidth, cell: cell.getBoundingClientRect().width, link: cell.querySelector('a')!.textContent };
    });
    assert.ok(layout.scroll <= 1, `the claims table scrolls sideways by ${layout.scroll}px`);
    assert.ok(layout.cell > 300, `the statement is ${layout.cell}px wide`);
    assert.match(layout.link ?? '', /^#\d+ \S+ \S+/, 'the link holds the statement');
    await check(page, 'claims list at 375 px');
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  test('screens work at 375 px wide: no sideways scrolling on the main pages', async () => {
    const { page } = people.editor;
    await page.setViewportSize({ width: 375, height: 800 });
    for (const p of ['/', reportUrl.replace(server.url, ''), claimUrl.replace(server.url, ''), '/claims', '/review', '/sources']) {
      await page.goto(url(p));
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      const culprits = await page.evaluate(() =>
        [...document.querySelectorAll('main *')]
          .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1 && !el.closest('.table-wrap'))
          .slice(0, 3)
          .map((el) => `${el.tagName.toLowerCase()}.${el.className}`),
      );
      assert.ok(overflow <= 1, `${p} scrolls sideways by ${overflow}px at 375px: ${culprits.join(', ')}`);
    }
    await page.setViewportSize({ width: 1440, height: 900 });
  });
});
