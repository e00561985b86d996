// `npm run screenshots`: takes the README's screenshots of the sample newsroom
// in Chromium and writes them to public/screenshots/.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { loadSampleNewsroom } from '../../server/demo/load.ts';
import { createTestApp } from '../support/app.ts';
import { browserSkip, launchBrowser, listen } from '../support/browser.ts';
import { makeUser, TEST_PASSWORD } from '../support/factories.ts';
import { ROOT } from '../support/process.ts';

if (browserSkip()) process.exit(1);
const out = path.join(ROOT, 'public', 'screenshots');
mkdirSync(out, { recursive: true });

const ctx = await createTestApp();
const editor = await makeUser(ctx.db, { role: 'editor', displayName: 'Eli Editor' });
const reviewer = await makeUser(ctx.db, { role: 'reviewer', displayName: 'Rosa Reviewer' });
const reportId = await loadSampleNewsroom(ctx.db, { editor, reviewer });
const inReview = (await ctx.db('claims').where({ report_id: reportId, status: 'in_review' }).whereNull('assignee_id').first('id')) as { id: number };
const server = await listen(ctx.app);
const browser = await launchBrowser();
try {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 860 });
  const other = await makeUser(ctx.db, { role: 'reviewer', displayName: 'Omar Reviewer' });
  await page.goto(`${server.url}/login`);
  await page.getByLabel('Email address').fill(other.email);
  await page.getByLabel('Password').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${server.url}/`);
  await page.screenshot({ path: path.join(out, 'dashboard.png') });
  await page.goto(`${server.url}/reports/${reportId}`);
  await page.screenshot({ path: path.join(out, 'report.png') });
  await page.goto(`${server.url}/claims/${inReview.id}`);
  await page.screenshot({ path: path.join(out, 'claim.png') });
  console.log(`Screenshots written to ${out}`);
} finally {
  await browser.close();
  await server.close();
  await ctx.close();
}
