import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import type { BrowserContext, Page } from 'playwright-core';
import { createTestApp, type TestContext } from '../support/app.ts';
import { assertAccessible } from '../support/axe.ts';
import { browserSkip, launchBrowser, listen } from '../support/browser.ts';
import { missingShared, SHARED } from '../support/shared.ts';

const FIXTURE = path.join(SHARED, 'fixtures/report-28-point-plan.txt');
const QUOTE = 'Russian officials told the platform that they are "hopeful" about the plan';
const skip = browserSkip() || missingShared('fixtures/report-28-point-plan.txt');

interface Person {
  name: string;
  email: string;
  password: string;
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/**
 * The journeys of the desk, in a real Chromium, as people take them: clicks
 * and keys on the app's own pages, nothing written to the database directly.
 * Each step depends on the one before, like a morning on the desk.
 */
describe('browser journeys', { skip }, () => {
  let ctx: TestContext;
  let server: Awaited<ReturnType<typeof listen>>;
  const people: Record<'admin' | 'editor' | 'reviewer', Person> = {} as Record<'admin' | 'editor' | 'reviewer', Person>;
  let reportUrl = '';
  let claimUrl = '';
  let axeChecked = 0;

  const open = async (name: string, email: string, password: string): Promise<Person> => {
    const browser = await launchBrowser();
    const page = await browser.context.newPage();
    page.on('dialog', (d) => void d.accept());
    return { name, email, password, context: browser.context, page, close: browser.close };
  };
  const url = (p: string) => `${server.url}${p}`;
  const check = async (page: Page, name: string) => {
    await assertAccessible(page, name);
    axeChecked += 1;
  };
  const signIn = async (person: Person) => {
    await person.page.goto(url('/login'));
    await person.page.getByLabel('Email address').fill(person.email);
    await person.page.getByLabel('Password').fill(person.password);
    await person.page.getByRole('button', { name: 'Sign in' }).click();
    await person.page.waitForURL(url('/'));
  };

  before(async () => {
    ctx = await createTestApp({ BASE_URL: 'http://127.0.0.1' });
    server = await listen(ctx.app);
  });
  after(async () => {
    for (const p of Object.values(people)) await p.close();
    await server?.close();
    await ctx?.close();
    console.log(`axe-core: ${axeChecked} page states checked with WCAG 2.1 A/AA rules`);
  });

  test('1. first run: /setup creates the admin; the admin creates an editor and a reviewer', async () => {
    people.admin = await open('Ada Admin', 'ada@desk.test', 'quiet harbour lantern 42');
    const { page } = people.admin;
    await page.goto(url('/'));
    await page.waitForURL(url('/setup'));
    await check(page, 'setup');
    await page.getByLabel('Your name').fill('Ada Admin');
    await page.getByLabel('Email address').fill(people.admin.email);
    await page.getByLabel('Password').fill(people.admin.password);
    await page.getByRole('button', { name: 'Create admin account' }).click();
    await page.waitForURL(url('/'));
    await assert.doesNotReject(page.getByRole('heading', { name: 'Dashboard' }).waitFor());
    await check(page, 'dashboard (empty)');

    for (const [role, name, email, password] of [
      ['editor', 'Eli Editor', 'eli@desk.test', 'violet kettle morning 7'],
      ['reviewer', 'Rosa Reviewer', 'rosa@desk.test', 'amber station winter 9'],
    ] as const) {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Accounts' }).click();
      await check(page, 'admin: accounts');
      await page.getByRole('link', { name: 'Add an account' }).click();
      await page.getByLabel('Name').fill(name);
      await page.getByLabel('Email address').fill(email);
      await page.getByLabel(role === 'editor' ? 'Editor' : 'Reviewer', { exact: true }).check();
      await check(page, 'admin: add an account');
      await page.getByRole('button', { name: 'Create account' }).click();
      const link = await page.getByLabel('Set-password link').inputValue();
      await check(page, 'admin: link issued');
      const person = await open(name, email, password);
      people[role] = person;
      await person.page.goto(link.replace('http://127.0.0.1', server.url));
      await person.page.getByLabel('New password').fill(password);
      await person.page.getByRole('button', { name: 'Set password' }).click();
      await person.page.waitForURL(url('/login'));
      await check(person.page, 'login');
      await signIn(person);
    }
    await page.goto(url('/admin/users'));
    assert.match(await page.textContent('main') ?? '', /Eli Editor[\s\S]*Rosa Reviewer|Rosa Reviewer[\s\S]*Eli Editor/);
  });

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
      const text = p.firstChild as Text;
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
      const node = p.firstChild as Text;
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

  test('the dashboard shows the desk’s work, and the account page is accessible', async () => {
    const { page } = people.admin;
    await page.goto(url('/'));
    assert.match(await page.textContent('main') ?? '', /Decisions in the last 14 days/);
    assert.equal(await page.locator('svg.chart').count(), 2);
    await check(page, 'dashboard');
    await page.goto(url('/account'));
    await check(page, 'account');
    await page.goto(url('/claims?q=hopeful'));
    await check(page, 'claims list with search');
  });
});
