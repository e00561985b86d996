import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { createTestApp, type TestContext } from '../support/app.ts';
import { browserSkip, launchBrowser, listen } from '../support/browser.ts';
import { makeUser, TEST_PASSWORD } from '../support/factories.ts';

describe('admin pages in Chromium', { skip: browserSkip() }, () => {
  let ctx: TestContext;
  let server: Awaited<ReturnType<typeof listen>>;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  const url = (p: string) => `${server.url}${p}`;

  before(async () => {
    ctx = await createTestApp({ BASE_URL: 'http://127.0.0.1' });
    server = await listen(ctx.app);
    browser = await launchBrowser();
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    page = await browser.context.newPage();
    const admin = await makeUser(ctx.db, { role: 'admin' });
    await page.goto(url('/login'));
    await page.getByLabel('Email address').fill(admin.email);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(url('/'));
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await ctx?.close();
  });

  test('the new account’s link is copied with one click and "Copied" is announced; reloading the page does not add the account twice', async () => {
    await page.goto(url('/admin/users/new'));
    await page.getByLabel('Name').fill('Rick Reviewer');
    await page.getByLabel('Email address').fill('rick@desk.test');
    await page.getByLabel('Reviewer', { exact: true }).check();
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(/\/admin\/users\/\d+\/link$/);
    const link = await page.getByLabel('Set-password link').inputValue();
    assert.match(link, /^http:\/\/127\.0\.0\.1\/set-password\/[A-Za-z0-9_-]{40,}$/);

    await page.getByRole('button', { name: 'Copy link' }).click();
    const status = page.locator('[data-copy-status]');
    await status.filter({ hasText: 'Copied' }).waitFor();
    assert.equal(await status.getAttribute('aria-live'), 'polite');
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link);

    // F5: a GET of the same page, no "resend the form?" and no "already exists".
    await page.reload();
    assert.equal(await page.getByLabel('Set-password link').count(), 0);
    assert.match((await page.textContent('main')) ?? '', /was shown once/);
    assert.doesNotMatch((await page.textContent('main')) ?? '', /already exists/);
    assert.equal((await ctx.db('users').where({ email: 'rick@desk.test' })).length, 1);
  });

  test('"Disable account" asks first with the person’s name; cancelling leaves the account enabled', async () => {
    const user = await makeUser(ctx.db, { displayName: 'Dana Desk' });
    await page.goto(url(`/admin/users/${user.id}`));
    let asked = '(no question: the form was sent at once)';
    page.once('dialog', (dialog) => {
      asked = dialog.message();
      void dialog.dismiss();
    });
    await page.getByRole('button', { name: 'Disable account' }).click();
    await page.waitForLoadState('load');
    assert.equal(asked, 'Disable Dana Desk? They are signed out at once and cannot sign in until enabled again.');
    assert.equal((await ctx.db('users').where({ id: user.id }).first()).disabled, false);
  });
});
