import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { JSDOM } from 'jsdom';
import type { User } from '../../server/accounts/users.repo.ts';
import { appWithEditor, type TestContext } from '../support/app.ts';
import { Client } from '../support/client.ts';
import { makeClaim, makeReport, makeSource } from '../support/factories.ts';

const CLAIM_JS = readFileSync(new URL('../../public/js/claim.js', import.meta.url), 'utf8');

/** The claim page as a browser shows it: parsed, with the page's own script run (it hides the new-source fields while a library source is chosen). */
function inBrowser(html: string): Document {
  const dom = new JSDOM(html, { runScripts: 'outside-only' });
  dom.window.eval(CLAIM_JS);
  return dom.window.document;
}

/** The error summaries of a page, and each of its links with the element it points to. */
function summaryOf(document: Document) {
  const summaries = [...document.querySelectorAll('.error-summary')];
  const items = [...(summaries[0]?.querySelectorAll('li') ?? [])].map((li) => {
    const href = li.querySelector('a')?.getAttribute('href') ?? null;
    const target = href ? document.getElementById(href.slice(1)) : null;
    return { text: li.textContent!.trim(), href, target };
  });
  return { count: summaries.length, items };
}

/** Every summary link points to an element of that id that the person can see. */
function assertLinksReachVisibleFields(document: Document): void {
  for (const item of summaryOf(document).items) {
    assert.ok(item.href, `“${item.text}” links to its field`);
    assert.ok(item.target, `${item.href} is on the page`);
    assert.equal(item.target.closest('[hidden]'), null, `${item.href} is not inside a hidden container`);
  }
}

const occurrences = (text: string, part: string) => text.split(part).length - 1;

describe('the add-evidence form and its errors', () => {
  let ctx: TestContext;
  let editor: User;
  let client: Client;
  let claimId: number;
  before(async () => {
    ({ ctx, editor, client } = await appWithEditor());
    claimId = await makeClaim(ctx.db, editor, await makeReport(ctx.db, editor));
  });
  after(() => ctx.close());

  test('a known URL typed as a new source: one error summary, the message once beside the chosen library source, its link reaches it', async () => {
    const known = await makeSource(ctx.db, editor, { title: 'Known article', url: 'https://known.example/article' });
    const res = await client.post(`/claims/${claimId}/evidence`, { relation: 'supports', credibility: 2, newTitle: 'Typed again', newUrl: 'https://known.example/article' });
    assert.equal(res.status, 409);
    const document = inBrowser(res.text);
    const summary = summaryOf(document);
    assert.equal(summary.count, 1, 'the page has one error summary');
    assert.equal(summary.items.length, 1, 'the problem is listed once');
    assert.match(summary.items[0]!.text, /already in the library as “Known article”/);
    assert.equal(occurrences(res.text, 'already in the library as “Known article”'), 2, 'the message is in the summary and beside one field, no more');
    const radio = document.getElementById('field-sourceId') as HTMLInputElement;
    assert.equal(radio.value, String(known), 'the link goes to the library source offered');
    assert.ok(radio.checked, 'which is chosen');
    assert.ok(document.querySelector('[data-new-source]')!.closest('[hidden]'), 'the new-source fields are hidden while it is chosen');
    assertLinksReachVisibleFields(document);
    assert.equal((document.getElementById('field-newTitle') as HTMLInputElement).value, 'Typed again', 'what was typed is kept');
  });

  test('a source already linked: the message sits beside the source, which stays listed and chosen', async () => {
    const sourceId = await makeSource(ctx.db, editor, { title: 'Linked once' });
    assert.equal((await client.post(`/claims/${claimId}/evidence`, { relation: 'supports', credibility: 2, sourceId })).status, 303);
    const res = await client.post(`/claims/${claimId}/evidence`, { relation: 'context', credibility: 3, sourceId });
    assert.equal(res.status, 400);
    const document = inBrowser(res.text);
    assert.equal(summaryOf(document).count, 1);
    assert.match(summaryOf(document).items[0]!.text, /already linked/);
    const chosen = document.querySelector<HTMLInputElement>('input[name="sourceId"]:checked')!;
    assert.equal(chosen.value, String(sourceId), 'the chosen source is still chosen');
    assertLinksReachVisibleFields(document);
  });

  test('an empty form reports every problem at once, the new source’s title among them, in the order of the form', async () => {
    const res = await client.post(`/claims/${claimId}/evidence`, {});
    assert.equal(res.status, 400);
    const document = inBrowser(res.text);
    const summary = summaryOf(document);
    assert.equal(summary.count, 1);
    assert.deepEqual(
      summary.items.map((i) => i.href),
      ['#field-newTitle', '#field-relation', '#field-credibility'],
    );
    assert.match(summary.items[0]!.text, /Enter the new source’s title, or choose a source from the library/);
    assert.ok(document.getElementById('field-newTitle-error'), 'the message is beside the title');
    assertLinksReachVisibleFields(document);
  });

  test('a bad URL and a missing credibility are listed URL first, as the form has them', async () => {
    const res = await client.post(`/claims/${claimId}/evidence`, { relation: 'supports', newTitle: 'A title', newUrl: 'ftp://files.example/x', excerpt: 'Kept' });
    assert.equal(res.status, 400);
    const document = inBrowser(res.text);
    assert.deepEqual(
      summaryOf(document).items.map((i) => i.href),
      ['#field-newUrl', '#field-credibility'],
    );
    assertLinksReachVisibleFields(document);
    assert.equal(document.getElementById('field-excerpt')!.textContent, 'Kept');
  });
});

describe('a stale evidence form', () => {
  let ctx: TestContext;
  let editor: User;
  let client: Client;
  before(async () => {
    ({ ctx, editor, client } = await appWithEditor());
  });
  after(() => ctx.close());

  test('is a 409 that shows every field where the saved link and the unsaved one differ, locator and note too, and keeps what was typed', async () => {
    const claimId = await makeClaim(ctx.db, editor, await makeReport(ctx.db, editor));
    const sourceId = await makeSource(ctx.db, editor);
    const opened = { relation: 'supports', credibility: 2, excerpt: 'The passage.', locator: 'p. 1', note: 'First note', sourceId };
    assert.equal((await client.post(`/claims/${claimId}/evidence`, opened)).status, 303);
    const linkId = (await ctx.db('evidence_links').where({ claim_id: claimId }).first()).id as number;
    const theirs = await client.post(`/claims/${claimId}/evidence/${linkId}`, { ...opened, locator: 'p. 4', note: 'Their note', credibility: 3, version: 1 });
    assert.equal(theirs.status, 303);

    const stale = await client.post(`/claims/${claimId}/evidence/${linkId}`, { ...opened, locator: 'para. 7', note: 'My note', version: 1 });
    assert.equal(stale.status, 409);
    const { document } = new JSDOM(stale.text).window;
    const rows = Object.fromEntries(
      [...document.querySelectorAll('#saved-version tr[data-field]')].map((tr) => [tr.getAttribute('data-field'), [...tr.querySelectorAll('td')].map((td) => td.textContent)]),
    );
    assert.deepEqual(rows, {
      locator: ['p. 4', 'para. 7'],
      credibility: ['3 · Possibly true', '2 · Probably true'],
      note: ['Their note', 'My note'],
    });
    assert.equal((document.getElementById('field-locator') as HTMLInputElement).value, 'para. 7', 'the typed locator is kept');
    assert.equal(document.getElementById('field-note')!.textContent, 'My note', 'the typed note is kept');
    assert.equal(document.querySelector<HTMLInputElement>('input[name="credibility"]:checked')!.value, '2');
    assert.equal(document.querySelector<HTMLInputElement>('input[name="version"]')!.value, '2', 'saving again replaces the version shown');
    assert.equal(document.querySelectorAll('.error-summary').length, 1);
  });
});
