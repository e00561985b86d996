import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { User } from '../../server/accounts/users.repo.ts';
import { transitionClaim } from '../../server/review/transitions.ts';
import { createTestApp, type TestContext } from '../support/app.ts';
import { assertAccessible } from '../support/axe.ts';
import { browserSkip, launchBrowser, listen } from '../support/browser.ts';
import { makeClaim, makeEvidence, makeReport, makeUser, TEST_PASSWORD } from '../support/factories.ts';
import { missingShared, readShared } from '../support/shared.ts';

const FIXTURE = 'fixtures/report-28-point-plan.txt';
const QUOTES = [
  'The Donald Trump-led US administration has secretly been working on a 28-point plan',
  'Russian officials told the platform that they are "hopeful" about the plan',
  "Ukraine's and its allies' stance remains unclear",
  'Trump’s reported 28-point plan focuses on four main areas',
  'A planned summit in Budapest, however, remains on hold for now.',
  'the former visited Miami between October 24 and 26',
  '"We feel the Russian position is really being heard."',
  'they have started briefing European officials about the new plan',
  'Witkoff has already discussed the plan with Ukrainian National Security Adviser Rustem Umerov in Miami',
];

/** The text of each page of a PDF. */
async function pagesOf(pdf: Buffer): Promise<string[]> {
  const doc = await getDocument({ data: new Uint8Array(pdf), useSystemFonts: true }).promise;
  const pages: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' ').replace(/\s+/g, ' '));
  }
  return pages;
}

describe('the printable claim sheet on paper', { skip: browserSkip() || missingShared(FIXTURE) }, () => {
  let ctx: TestContext;
  let editor: User;
  let reportId: number;
  const verified: number[] = [];
  before(async () => {
    ctx = await createTestApp();
    editor = await makeUser(ctx.db, { role: 'editor' });
    const reviewer = await makeUser(ctx.db, { role: 'reviewer' });
    reportId = await makeReport(ctx.db, editor, { title: 'US has been working on a 28-point plan', body: readShared(FIXTURE)! });
    for (const [i, quote] of QUOTES.entries()) {
      const id = await makeClaim(ctx.db, editor, reportId, { quote, statement: `Claim ${i + 1}: ${quote}`, claimant: 'Axios' });
      for (let s = 0; s < 3; s++) await makeEvidence(ctx.db, editor, id, { relation: 'supports', reliability: 'B', credibility: 2 });
      const version = async () => (await ctx.db('claims').where({ id }).first()).version as number;
      await transitionClaim(ctx.db, { actor: editor, claimId: id, action: 'submit', version: await version(), comment: null, confidence: null });
      if (i === QUOTES.length - 1) continue; // one stays in review: not on the sheet
      await transitionClaim(ctx.db, { actor: reviewer, claimId: id, action: 'verify', version: await version(), confidence: 'high', comment: 'Checked against the origin and two independent reports. '.repeat(4) });
      verified.push(id);
    }
  });
  after(() => ctx.close());

  test('rendered to PDF, it has every verified claim and no claim split across pages', async () => {
    const server = await listen(ctx.app);
    const browser = await launchBrowser();
    try {
      const page = await browser.context.newPage();
      await page.goto(`${server.url}/login`);
      await page.getByLabel('Email address').fill(editor.email);
      await page.getByLabel('Password').fill(TEST_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.goto(`${server.url}/reports/${reportId}/sheet`);
      await assertAccessible(page, 'claim sheet');
      const pdf = await page.pdf({ format: 'A4', printBackground: true });
      const pages = await pagesOf(pdf);
      assert.ok(pages.length >= 2, `the sheet should run over several pages to test page breaks (got ${pages.length})`);
      const all = pages.join(' ');
      const pageOf = (re: RegExp) => pages.findIndex((p) => re.test(p));
      for (const id of verified) {
        const start = pageOf(new RegExp(`#${id} ·`));
        const end = pageOf(new RegExp(`Claim #${id}:`));
        assert.ok(start >= 0, `claim #${id} is on the sheet`);
        assert.equal(start, end, `claim #${id} starts on page ${start + 1} and ends on page ${end + 1}`);
      }
      const unverified = (await ctx.db('claims').where({ report_id: reportId, status: 'in_review' }).first()).id;
      assert.doesNotMatch(all, new RegExp(`Claim #${unverified}:`), 'the claim in review is not on the sheet');
      assert.doesNotMatch(all, /Download:|Print the sheet/, 'the tools are not printed');
    } finally {
      await browser.close();
      await server.close();
    }
  });
});

describe('the accessibility check itself', { skip: browserSkip() }, () => {
  test('fails on a page with known serious violations (an unlabelled input, an image without alt text)', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.context.newPage();
      await page.setContent('<!doctype html><html lang="en"><head><title>Bad</title></head><body><main><img src="x.png"><input type="text"></main></body></html>');
      await assert.rejects(assertAccessible(page, 'known bad page'), /image-alt|label/);
    } finally {
      await browser.close();
    }
  });
});
