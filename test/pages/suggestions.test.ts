import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { JSDOM } from 'jsdom';
import { SCORER_VERSION } from '../../server/reports/suggestions.ts';
import { closeExtraction } from '../../server/reports/extract.ts';
import { appWithEditor, type TestContext } from '../support/app.ts';
import type { Client } from '../support/client.ts';
import { makeReport } from '../support/factories.ts';
import type { User } from '../../server/accounts/users.repo.ts';

const CHECKABLE = 'The council said spending on the tram line rose by 12 percent in 2024.';
const ALSO = 'According to the audit office, the bridge repairs cost 4 million euros.';
const BODY = `Is the city ready?\n\n${CHECKABLE} I think it is fine.\n\nMany people came.\n\n${ALSO}\n\nNobody knows.`;

describe('suggested checkable sentences on the report page', () => {
  let ctx: TestContext;
  let editor: User;
  let client: Client;
  let reportId: number;
  before(async () => {
    ({ ctx, editor, client } = await appWithEditor());
    reportId = await makeReport(ctx.db, editor, { body: BODY });
  });
  after(async () => {
    await closeExtraction();
    await ctx.close();
  });

  const page = async (path = `/reports/${reportId}`) => {
    const res = await client.agent.get(path);
    assert.equal(res.status, 200);
    return new JSDOM(res.text).window.document;
  };

  test('the sentences with figures and attributions are marked in the text and listed, each with its reasons', async () => {
    const doc = await page();
    assert.deepEqual([...doc.querySelectorAll('.report-text .suggested')].map((e) => e.textContent), [CHECKABLE, ALSO]);
    const label = doc.querySelector('.report-text .suggestion-label')!;
    assert.equal(label.getAttribute('href'), `/reports/${reportId}?suggest=${BODY.indexOf(CHECKABLE)}-${BODY.indexOf(CHECKABLE) + CHECKABLE.length}#log-claim`);
    assert.ok(label.hasAttribute('data-offset-skip'), 'the label is not part of the text a selection counts');
    const why = doc.getElementById(label.getAttribute('aria-describedby')!)!;
    assert.match(why.textContent!, /^Why: a number: “12”; a percentage: “12 percent”; a date: “2024”; a comparison: “rose”; attribution: “said”/);
    assert.equal(doc.querySelectorAll('.suggestion-list__item').length, 2);
    const stored = await ctx.db('report_suggestions').where({ report_id: reportId }).first();
    assert.equal(stored.scorer, SCORER_VERSION, 'the scores are kept for the revision');
  });

  test('“Log this claim” fills the log form with the sentence, and logging it ends its suggestion', async () => {
    const doc = await page();
    const href = doc.querySelector('.suggestion-list a[data-suggest]')!.getAttribute('href')!;
    const form = await page(href.replace(/#.*$/, ''));
    const value = (name: string) => (form.querySelector(`[data-log-form] [name="${name}"]`) as HTMLInputElement).value;
    assert.equal(value('quote'), CHECKABLE);
    assert.equal(value('statement'), CHECKABLE);
    assert.equal(Number(value('quoteStart')), BODY.indexOf(CHECKABLE));
    assert.equal(value('quotePrefix'), BODY.slice(Math.max(0, BODY.indexOf(CHECKABLE) - 32), BODY.indexOf(CHECKABLE)));
    const logged = await client.post(`/reports/${reportId}/claims`, {
      quote: value('quote'),
      quoteStart: value('quoteStart'),
      quoteEnd: value('quoteEnd'),
      quotePrefix: value('quotePrefix'),
      quoteSuffix: value('quoteSuffix'),
      statement: 'Spending on the tram line rose by 12 percent in 2024.',
      kind: 'factual',
      priority: '1',
    });
    assert.equal(logged.status, 303);
    const after = await page();
    assert.deepEqual([...after.querySelectorAll('.report-text .suggested')].map((e) => e.textContent), [ALSO], 'a logged sentence is a claim, not a suggestion');
  });

  test('a range that is not in the text fills nothing', async () => {
    const doc = await page(`/reports/${reportId}?suggest=5-999999`);
    assert.equal((doc.querySelector('[data-log-form] [name="quote"]') as HTMLTextAreaElement).value, '');
  });

  test('a person who turns suggestions off on their account page sees none; turning them on brings them back', async () => {
    const account = new JSDOM((await client.agent.get('/account')).text).window.document;
    assert.equal((account.getElementById('field-showSuggestions') as HTMLInputElement).checked, true);
    assert.equal((await client.post('/account/preferences', {})).status, 303);
    const off = await page();
    assert.equal(off.querySelectorAll('.suggested, .suggestion-label, .suggestions').length, 0);
    assert.equal((await ctx.db('users').where({ id: editor.id }).first()).show_suggestions, false);
    assert.equal((await client.post('/account/preferences', { showSuggestions: 'maybe' })).status, 400);
    assert.equal((await client.post('/account/preferences', { showSuggestions: 'yes' })).status, 303);
    assert.equal((await page()).querySelectorAll('.report-text .suggested').length, 1);
  });

  test('a corrected text is scored again; JSON clients get the suggestions with their reasons', async () => {
    const report = await ctx.db('reports').where({ id: reportId }).first();
    const res = await client.post(`/reports/${reportId}`, {
      title: report.title,
      body: `${BODY}\n\nThe mayor said 300 new homes were built in 2023.`,
      version: String(report.version),
      baseRevision: String(report.revision),
      note: 'Added the last line',
    });
    assert.equal(res.status, 303);
    const json = (await client.agent.get(`/reports/${reportId}`).set('Accept', 'application/json')).body as { suggestions: { text: string; reasons: { feature: string }[] }[] };
    assert.deepEqual(json.suggestions.map((s) => s.text), [ALSO, 'The mayor said 300 new homes were built in 2023.']);
    assert.ok(json.suggestions[1]!.reasons.some((r) => r.feature === 'attribution'));
    assert.equal((await ctx.db('report_suggestions').where({ report_id: reportId }).first()).revision, report.revision + 1);
  });
});
