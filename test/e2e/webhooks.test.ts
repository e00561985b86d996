import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { Role } from '../../server/platform/policies.ts';
import { browserSkip } from '../support/browser.ts';
import { makeClaimIn } from '../support/factories.ts';
import { dispatch, startReceiver, type Receiver } from '../webhooks/support.ts';
import { BrowserDesk, type Person } from './desk.ts';

/**
 * Webhooks in a real Chromium: an admin connects the newsroom's CMS (a
 * receiver on this machine, allowed by FETCH_ALLOW_HOSTS), copies the secret
 * shown once, and follows a reviewer's decision through the delivery log, a
 * refusal by the receiver and a replay.
 */
describe('browser journey: an admin connects a receiver by webhook', { skip: browserSkip() }, () => {
  let desk: BrowserDesk;
  let people: Record<Role, Person>;
  let receiver: Receiver;
  let endpointUrl = '';
  const check = (page: Page, name: string) => desk.check(page, name);

  before(async () => {
    desk = await BrowserDesk.open({ env: { FETCH_ALLOW_HOSTS: '127.0.0.1' } });
    people = await desk.seat(['admin', 'editor', 'reviewer']);
    receiver = await startReceiver((n) => (n === 0 ? 502 : 204));
  });
  after(async () => {
    await receiver?.close();
    await desk?.close();
  });

  test('1. the admin is refused a private address beside the field, then registers the receiver and copies the secret shown once', async () => {
    const { page } = people.admin;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Webhooks' }).click();
    await check(page, 'webhooks, none yet');
    await page.getByRole('link', { name: 'Add an endpoint' }).click();
    const address = page.getByLabel('Address that receives the events');
    await address.fill('http://192.168.1.20/hooks');
    await page.getByLabel(/^Claim submitted/).uncheck();
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    assert.match((await page.locator('#field-url-error').textContent()) ?? '', /192\.168\.1\.20 is a private network/);
    assert.equal(await address.inputValue(), 'http://192.168.1.20/hooks', 'the address is kept');
    assert.equal(await page.getByLabel(/^Claim submitted/).isChecked(), false, 'and so are the events chosen');
    await check(page, 'add an endpoint, address refused');

    await address.fill(receiver.url);
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    await page.waitForURL(/\/admin\/webhooks\/\d+$/);
    endpointUrl = page.url();
    const secret = await page.getByLabel('Secret', { exact: true }).inputValue();
    assert.match(secret, /^[A-Za-z0-9_-]{43}$/);
    assert.ok(await page.getByRole('button', { name: 'Copy secret' }).isVisible(), 'with JavaScript, a button copies it');
    await check(page, 'endpoint page with its secret');
    await page.reload();
    assert.equal(await page.getByLabel('Secret', { exact: true }).count(), 0, 'the secret is shown once');
  });

  test('2. a reviewer’s decision reaches the receiver: refused once, the log says so; delivered on the retry, and sent again by Replay', async () => {
    const claimId = await makeClaimIn(desk.ctx.db, 'in_review', { author: desk.accounts.editor! });
    const reviewer = people.reviewer.page;
    await reviewer.goto(desk.url(`/claims/${claimId}`));
    await reviewer.getByLabel(/^High/).check();
    await reviewer.getByRole('button', { name: 'Verify' }).click();
    await reviewer.waitForURL(desk.url(`/claims/${claimId}`));

    await dispatch(desk.ctx);
    const { page } = people.admin;
    await page.goto(endpointUrl);
    const row = page.locator('tbody tr').first();
    assert.match((await row.textContent()) ?? '', /Claim decided[\s\S]*Failed, will retry[\s\S]*502[\s\S]*The receiver answered HTTP 502/);
    await check(page, 'delivery log, a failed delivery');

    await desk.ctx.db('webhook_deliveries').update({ next_attempt_at: desk.ctx.db.raw('now()') });
    await dispatch(desk.ctx);
    await page.reload();
    assert.match((await row.textContent()) ?? '', /Delivered[\s\S]*204/);
    await row.getByRole('button', { name: /^Replay delivery/ }).click();
    await page.waitForURL(endpointUrl);
    assert.match((await page.textContent('main')) ?? '', /will be sent again/);
    await dispatch(desk.ctx);
    assert.equal(receiver.accepted().length, 2, 'delivered, then replayed');
    assert.equal(receiver.accepted()[1]!.body, receiver.received[0]!.body, 'the same body every time');
  });
});
