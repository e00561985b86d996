import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { Role } from '../../server/platform/policies.ts';
import { makeClaim } from '../support/factories.ts';
import { BrowserDesk, QUOTE, skip, type Person } from './desk.ts';

/**
 * Editing on a busy desk, in a real Chromium: two people saving the same
 * claim or the same report, a claim logged from the keyboard alone, and an
 * upload whose form is refused. The report and its first claim are made by
 * the app's own commands; everything after is clicks and keys.
 */
describe('browser journeys: editing on a busy desk', { skip }, () => {
  let desk: BrowserDesk;
  let people: Record<Role, Person>;
  const url = (p: string) => desk.url(p);
  const check = (page: Page, name: string) => desk.check(page, name);
  let reportUrl = '';

  before(async () => {
    desk = await BrowserDesk.open();
    people = await desk.seat(['admin', 'editor', 'reviewer']);
    const editor = desk.accounts.editor!;
    reportUrl = await desk.fixtureReport(editor);
    await makeClaim(desk.ctx.db, editor, Number(reportUrl.split('/').pop()), { quote: QUOTE, statement: 'Russian officials are hopeful about the plan.', claimant: 'Russian officials', kind: 'attributed' });
  });
  after(() => desk?.close());

  test('5. two people edit the same claim; the second sees the conflict page with their text kept', async () => {
    // A fresh claim in draft, logged by the editor through the quote form.
    const { page } = people.editor;
    await page.goto(reportUrl);
    await page.getByLabel('Quote from the report').fill('A planned summit in Budapest, however, remains on hold for now.');
    await page.getByLabel('Checkable statement').fill('A planned summit in Budapest remains on hold.');
    await page.getByRole('button', { name: 'Log claim' }).click();
    await page.waitForURL(/\/claims\/\d+$/);
    const editUrl = `${page.url()}/edit`;
    const second = people.admin.page;
    await page.goto(editUrl);
    await second.goto(editUrl);
    await page.getByLabel('Checkable statement').fill('The Budapest summit is on hold, officials say.');
    await page.getByRole('button', { name: 'Save claim' }).click();
    await page.waitForURL(/\/claims\/\d+$/);
    await second.getByLabel('Checkable statement').fill('My wording that must not be lost.');
    await second.getByRole('button', { name: 'Save claim' }).click();
    await assert.doesNotReject(second.getByRole('heading', { name: 'Someone else changed this claim' }).waitFor());
    assert.equal(await second.getByLabel('Checkable statement').inputValue(), 'My wording that must not be lost.');
    assert.match(await second.textContent('main') ?? '', /The Budapest summit is on hold, officials say\./);
    await check(second, 'conflict page');
  });

  test('6. a claim is logged from the keyboard alone, through the quote form', async () => {
    const { page } = people.editor;
    await page.goto(reportUrl);
    const labelsFocused: string[] = [];
    const focusOn = async (id: string) => {
      for (let i = 0; i < 80; i++) {
        const active = await page.evaluate(() => ({ id: document.activeElement?.id, label: document.activeElement?.classList.contains('hl-label') ? document.activeElement.textContent : null }));
        if (active.label) labelsFocused.push(active.label);
        if (active.id === id) return;
        await page.keyboard.press('Tab');
      }
      throw new Error(`could not reach #${id} with the Tab key`);
    };
    assert.ok((await page.locator('a.hl-label').count()) >= 2, 'the text has claim labels');
    await focusOn('field-quote');
    assert.deepEqual(labelsFocused, [], 'the claim labels in the text are not Tab stops (the claims list has the same links)');
    assert.equal(await page.locator('a.hl-label').first().getAttribute('tabindex'), '-1');
    await page.keyboard.type('the former visited Miami between October 24 and 26');
    await focusOn('field-statement');
    await page.keyboard.type('Dmitriev was in Miami from October 24 to 26.');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Kirill Dmitriev');
    await focusOn('field-kind');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Tab');
    await page.keyboard.type('travel, dates');
    let onButton = false;
    for (let i = 0; i < 10 && !onButton; i++) {
      await page.keyboard.press('Tab');
      onButton = (await page.evaluate(() => document.activeElement?.textContent)) === 'Log claim';
    }
    assert.ok(onButton, 'the Log claim button is reachable by Tab');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle + getComputedStyle(document.activeElement!).boxShadow);
    assert.notEqual(outline, 'nonenone', 'keyboard focus is visible');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/claims\/\d+$/);
    const text = await page.textContent('main');
    assert.match(text ?? '', /Dmitriev was in Miami from October 24 to 26\./);
    assert.match(text ?? '', /Kirill Dmitriev/);
    assert.match(text ?? '', /travel/);
  });

  test('7. a correction saved after a colleague’s shows what each changed; the editor’s text is kept', async () => {
    const mine = people.editor.page;
    const theirs = people.reviewer.page;
    const editUrl = `${reportUrl}/edit`;
    await mine.goto(editUrl);
    await theirs.goto(editUrl);
    const body = await theirs.getByLabel('Text', { exact: true }).inputValue();
    assert.ok(body.includes('Ukraine\'s and its allies\' stance remains unclear'));
    await theirs.getByLabel('Text', { exact: true }).fill(body.replace('stance remains unclear', 'stance remains unclear so far'));
    await theirs.getByRole('button', { name: 'Save' }).click();
    await theirs.waitForURL(reportUrl);
    assert.match(await theirs.textContent('main') ?? '', /Saved as revision 2\. All \d+ claims still point at their quotes\./);

    const text = mine.getByLabel('Text', { exact: true });
    await text.fill((await text.inputValue()).replace('A planned summit', 'The planned summit'));
    await mine.getByRole('button', { name: 'Save' }).click();
    await assert.doesNotReject(mine.getByRole('heading', { name: 'Changes saved by Rosa Reviewer since you opened the form' }).waitFor());
    assert.match(await mine.locator('section[aria-labelledby="theirs-heading"] ins').last().textContent() ?? '', /^\[added: +so far\]$/);
    const undone = await mine.locator('section[aria-labelledby="saving-heading"] del').allTextContents();
    assert.ok(undone.some((t) => /so far/.test(t)), `saving as it is would undo the colleague’s words, and the page shows it: ${undone.join(' | ')}`);
    assert.match(await text.inputValue(), /The planned summit/);
    await check(mine, 'report correction conflict page');
  });

  test('8. an upload whose form is refused keeps the file’s text; a selection next to an emoji keeps the emoji whole', async () => {
    const { page } = people.editor;
    const gap = ' and then the talks began again';
    const gap2 = ' and the guests waited outside.';
    const quote = 'the ministers agreed on a date';
    const body = `Notes from the reception, written down by the desk for a test of the import form.\n\nThe crowd cheered 🎉${gap}${quote}${gap2}🎊 Then everyone left.`;
    await page.goto(url('/reports/new'));
    await page.getByLabel('Or upload a file').setInputFiles({ name: 'reception.txt', mimeType: 'text/plain', buffer: Buffer.from(body, 'utf8') });
    await page.getByRole('button', { name: 'Import report' }).click();
    await assert.doesNotReject(page.getByText('We read reception.txt: its text is in the Text box above; you need not choose it again.').waitFor());
    assert.equal(await page.getByLabel('Text', { exact: true }).inputValue(), body);
    await check(page, 'import form (file kept after an error)');
    await page.getByLabel('Title').fill('Reception notes');
    await page.getByRole('button', { name: 'Import report' }).click();
    await page.waitForURL(/\/reports\/\d+$/);

    await page.evaluate((q) => {
      const p = [...document.querySelectorAll('[data-report-text] p')].find((el) => el.textContent!.includes(q))!;
      // The sentence may sit in a suggestion's mark: the text node that holds the quote, wherever it is in the paragraph.
      const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
      let node = walker.nextNode() as Text;
      while (!node.data.includes(q)) node = walker.nextNode() as Text;
      const at = node.data.indexOf(q);
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + q.length);
      const selection = window.getSelection()!;
      selection.removeAllRanges();
      selection.addRange(range);
      document.querySelector('[data-report-text]')!.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
    }, quote);
    await page.waitForFunction((q) => (document.querySelector('#field-quote') as HTMLTextAreaElement).value === q, quote);
    assert.equal(await page.inputValue('[name=quotePrefix]'), gap, 'the prefix leaves out the half of the emoji 32 units back');
    assert.equal(await page.inputValue('[name=quoteSuffix]'), gap2, 'the suffix leaves out the half of the emoji 32 units on');
  });
});
