import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { closeExtraction } from '../../server/reports/extract.ts';
import { articlePage, startPageServer, type PageServer } from '../support/page-server.ts';
import { BrowserDesk, skip, type Person } from './desk.ts';

const FIGURE = 'The city council said spending on the tram line rose by 12 percent in 2024, to 48 million euros.';
const PARAGRAPHS = [
  'Is the new tram line worth it?',
  `${FIGURE} Critics want the money spent elsewhere.`,
  'Many people came to the meeting.',
  'According to the audit office, the repairs of the old bridge were postponed for a third time in March.',
];

/**
 * Importing a report from its address in a real Chromium: the editor pastes
 * the address of a page on a web server of the test's own (on 127.0.0.1, which
 * the desk's settings allow), the article arrives with its title and byline,
 * the sentences worth checking are suggested with their reasons, and one
 * action fills "Log a claim" with a suggested sentence, which is then logged.
 */
describe('browser journey: import a report by its address and log a suggested claim', { skip }, () => {
  let desk: BrowserDesk;
  let people: Record<'editor', Person>;
  let server: PageServer;

  before(async () => {
    server = await startPageServer({
      '/news/tram': (_q, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(articlePage({ title: 'Tram line costs rise', byline: 'Maria Example', paragraphs: PARAGRAPHS })),
    });
    desk = await BrowserDesk.open({ env: { FETCH_ALLOW_HOSTS: '127.0.0.1' } });
    people = (await desk.seat(['editor'])) as Record<'editor', Person>;
  });
  after(async () => {
    await desk?.close();
    await closeExtraction();
    await server?.close();
  });

  test('1. the editor imports the page by its address: title, byline and text arrive, the address is kept', async () => {
    const { page } = people.editor;
    await page.goto(desk.url('/reports/new'));
    await page.getByLabel('Or import from a web address').fill(`${server.origin}/news/tram`);
    await page.getByRole('button', { name: 'Import report' }).click();
    await page.waitForURL(/\/reports\/\d+$/);
    assert.equal(await page.locator('h1').textContent(), 'Tram line costs rise');
    assert.match((await page.locator('.page-head .muted').textContent()) ?? '', /The Daily Example · Maria Example/);
    assert.equal(await page.getByRole('link', { name: /^Original/ }).getAttribute('href'), `${server.origin}/news/tram`);
    assert.deepEqual(server.requests, ['/news/tram']);
  });

  test('2. the checkable sentences are suggested; a suggestion’s reasons show on keyboard focus', async () => {
    const { page } = people.editor;
    const suggested = await page.locator('.report-text .suggested').allTextContents();
    assert.deepEqual(suggested, [FIGURE, PARAGRAPHS[3]]);
    await page.locator('.report-text .suggestion-label').first().focus();
    const tip = page.locator('.report-text .suggestion-label__why').first();
    assert.ok(await tip.isVisible(), 'the reasons appear on focus');
    assert.match((await tip.textContent()) ?? '', /^Why: a number: “12”; a percentage: “12 percent”; money: “euros”; a date: “2024”; a comparison: “rose”; attribution: “said”/);
    await page.keyboard.press('Escape');
    assert.ok(!(await tip.isVisible()), 'Escape hides the reasons');
    await desk.check(page, 'report page with suggestions');
  });

  test('3. one action opens “Log a claim” with the sentence as the quote; the editor logs it and it is a claim', async () => {
    const { page } = people.editor;
    await page.getByRole('link', { name: /Log this claim.*suggestion 1/ }).click();
    await page.waitForURL(/suggest=\d+-\d+#log-claim$/);
    assert.equal(await page.getByLabel('Quote from the report').inputValue(), FIGURE);
    await page.getByLabel('Checkable statement').fill('Spending on the tram line rose by 12 percent in 2024.');
    await page.getByRole('button', { name: 'Log claim' }).click();
    await page.waitForURL(/\/claims\/\d+$/);
    assert.match((await page.locator('h1').textContent()) ?? '', /Spending on the tram line rose by 12 percent in 2024/);
    await page.goBack();
    await page.reload();
    assert.deepEqual(await page.locator('.report-text .suggested').allTextContents(), [PARAGRAPHS[3]], 'the logged sentence is now a claim, not a suggestion');
    assert.equal(await page.locator('.report-text mark.hl').first().textContent(), FIGURE);
  });
});
