import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { User } from '../../server/accounts/users.repo.ts';
import { addComment } from '../../server/review/comments.ts';
import { createTestApp, type TestContext } from '../support/app.ts';
import { browserSkip, launchBrowser, listen } from '../support/browser.ts';
import { makeClaim, makeClaimIn, makeEvidence, makeReport, makeSource, makeUser, TEST_PASSWORD } from '../support/factories.ts';
import { missingShared, xssPayloads } from '../support/shared.ts';

// Payloads that would set a marker if any script from user text ran.
const CANARIES = ['<img src=x onerror="window.__xss=1">', '"><svg onload="window.__xss=2">', "'><script>window.__xss=3</script>", 'javascript:window.__xss=4'];

describe('hostile text in a real browser', { skip: browserSkip() || missingShared('data/xss-polyglots.txt') }, () => {
  let ctx: TestContext;
  let viewer: User;
  const pages: string[] = [];
  before(async () => {
    ctx = await createTestApp();
    const payloads = [...xssPayloads(), ...CANARIES];
    viewer = await makeUser(ctx.db, { role: 'admin', displayName: payloads[0]!.slice(0, 100) });
    const editor = await makeUser(ctx.db, { role: 'editor', displayName: CANARIES[0]! });
    const reportId = await makeReport(ctx.db, editor, { title: payloads.join(' ').slice(0, 300), outlet: CANARIES[1]!, body: payloads.join('\n\n') });
    pages.push('/', '/reports', `/reports/${reportId}`, `/reports/${reportId}/sheet?scope=decided`, '/claims', '/claims?q=alert', '/review', '/sources', '/admin/users');
    for (const [i, p] of payloads.entries()) {
      const claimId = await makeClaim(ctx.db, editor, reportId, { quote: p, statement: p.slice(0, 1000), claimant: p.slice(0, 200), tags: [p.slice(0, 40)] });
      const sourceId = await makeSource(ctx.db, editor, { title: p.slice(0, 500), publisher: p.slice(0, 200), url: `https://xss.example/${i}` });
      await makeEvidence(ctx.db, editor, claimId, { sourceId });
      await addComment(ctx.db, viewer, claimId, p);
      if (i < 3) pages.push(`/claims/${claimId}`, `/claims/${claimId}/edit`, `/sources/${sourceId}`);
    }
    const decided = await makeClaimIn(ctx.db, 'verified', { author: editor, reportId: await makeReport(ctx.db, editor, { title: CANARIES[2]! }) });
    pages.push(`/claims/${decided}`);
  });
  after(() => ctx.close());

  test('no dialog opens and no script runs on any page that shows them', async () => {
    const server = await listen(ctx.app);
    const browser = await launchBrowser();
    try {
      const page = await browser.context.newPage();
      const dialogs: string[] = [];
      page.on('dialog', (d) => {
        dialogs.push(`${page.url()}: ${d.message()}`);
        void d.dismiss();
      });
      await page.goto(`${server.url}/login`);
      await page.getByLabel('Email address').fill(viewer.email);
      await page.getByLabel('Password').fill(TEST_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${server.url}/`);
      for (const path of pages) {
        const res = await page.goto(`${server.url}${path}`);
        assert.equal(res?.status(), 200, path);
        // Hover and click every highlighted passage and label, as a reader might.
        for (const mark of await page.locator('mark, .hl-label').all().then((all) => all.slice(0, 5))) await mark.hover().catch(() => undefined);
        const marker = await page.evaluate(() => (window as unknown as { __xss?: number }).__xss ?? null);
        assert.equal(marker, null, `a script from user text ran on ${path}`);
        const handlers = await page.evaluate(() => [...document.querySelectorAll('*')].filter((el) => [...el.attributes].some((a) => a.name.startsWith('on'))).length);
        assert.equal(handlers, 0, `${path}: an element has an event handler attribute`);
      }
      assert.deepEqual(dialogs, []);
      console.log(`hostile text in Chromium: ${pages.length} pages, 0 dialogs, 0 scripts run`);
    } finally {
      await browser.close();
      await server.close();
    }
  });
});
