import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BrowserDesk, skip, type Person } from './desk.ts';

/**
 * API tokens in a real Chromium: the editor makes a token on their account
 * page, copies it from the page that shows it once, a program uses it, and
 * the editor revokes it; the API's own page reads well.
 */
describe('browser journey: an editor makes an API token, a program uses it, the editor revokes it', { skip }, () => {
  let desk: BrowserDesk;
  let people: Record<'editor', Person>;
  let secret = '';

  before(async () => {
    desk = await BrowserDesk.open();
    people = (await desk.seat(['editor'])) as Record<'editor', Person>;
  });
  after(() => desk?.close());

  const api = (path: string) => fetch(desk.url(path), { headers: { Authorization: `Bearer ${secret}` } });

  test('1. from the account page, the editor makes a read-and-write token and sees it once', async () => {
    const { page } = people.editor;
    await page.goto(desk.url('/account'));
    await page.getByRole('link', { name: 'Manage your API tokens' }).click();
    await desk.check(page, 'API tokens');
    await page.getByLabel('Name').fill('CMS publishing');
    await page.getByRole('radio', { name: /Read and write/ }).check();
    await page.getByLabel('Expires after').selectOption('30');
    await page.getByRole('button', { name: 'Make token' }).click();
    await page.waitForURL(/\/account\/tokens\/created$/);
    secret = await page.getByLabel('Token').inputValue();
    assert.match(secret, /^fdk_/);
    await desk.check(page, 'token shown once');
    await page.reload();
    assert.equal(await page.getByLabel('Token').count(), 0, 'a reload does not show it again');
  });

  test('2. a program uses the token: it reads the claims as the editor', async () => {
    const res = await api('/api/v1/claims');
    assert.equal(res.status, 200);
    assert.ok(Array.isArray(((await res.json()) as { items: unknown[] }).items));
  });

  test('3. the editor sees when it was last used, revokes it, and the program is refused', async () => {
    const { page } = people.editor;
    await page.goto(desk.url('/account/tokens'));
    const row = page.getByRole('row', { name: /CMS publishing/ });
    assert.doesNotMatch((await row.textContent()) ?? '', /Never/, 'the last use is shown');
    await row.getByRole('button', { name: /Revoke/ }).click();
    await page.waitForURL(/\/account\/tokens$/);
    assert.match((await page.getByRole('row', { name: /CMS publishing/ }).textContent()) ?? '', /Revoked/);
    assert.equal((await api('/api/v1/claims')).status, 401);
  });

  test('4. the API’s page lists its operations', async () => {
    const { page } = people.editor;
    await page.goto(desk.url('/api/v1/docs'));
    assert.ok(await page.getByRole('heading', { name: /POST \/api\/v1\/claims\/:id\/verify/ }).isVisible());
    await desk.check(page, 'API documentation');
  });
});
