import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { JSDOM } from 'jsdom';
import type { User } from '../../server/accounts/users.repo.ts';
import { createTestApp, type TestContext } from '../support/app.ts';
import { ApiClient, tokenFor } from '../support/api.ts';
import { Client } from '../support/client.ts';
import { makeUser } from '../support/factories.ts';

const doc = (html: string) => new JSDOM(html).window.document;

describe('personal access tokens', () => {
  let ctx: TestContext;
  let editor: User;
  let admin: User;
  let browser: Client;
  before(async () => {
    ctx = await createTestApp({ API_RATE_LIMIT: '1000' });
    editor = await makeUser(ctx.db, { role: 'editor' });
    admin = await makeUser(ctx.db, { role: 'admin' });
    browser = await Client.signedIn(ctx.app, editor);
  });
  after(() => ctx.close());

  /** Makes a token on the account page as a person would, and reads its secret from the page shown once. */
  const makeOnPage = async (fields: Record<string, string>) => {
    const made = await browser.post('/account/tokens', fields);
    assert.equal(made.status, 303);
    assert.equal(made.headers.location, '/account/tokens/created');
    const shown = await browser.agent.get('/account/tokens/created');
    return (doc(shown.text).getElementById('token-secret') as HTMLInputElement).value;
  };

  test('a token made on the account page is shown once, kept only as a hash, and works as its user', async () => {
    const secret = await makeOnPage({ name: 'CMS publishing', scope: 'write', lifetime: '30' });
    assert.match(secret, /^fdk_[A-Za-z0-9_-]{43}$/);
    const again = await browser.agent.get('/account/tokens/created');
    assert.equal(doc(again.text).getElementById('token-secret'), null, 'a reload does not show it again');
    const row = await ctx.db('api_tokens').where({ name: 'CMS publishing' }).first();
    assert.notEqual(row.token_hash, secret);
    assert.ok(!JSON.stringify(row).includes(secret.slice(4)), 'the secret is not stored');
    const days = (new Date(row.expires_at).getTime() - new Date(row.created_at).getTime()) / 86_400_000;
    assert.ok(Math.abs(days - 30) < 0.01);

    const api = new ApiClient(ctx.app, secret);
    const created = await api.post('/api/v1/reports', { title: 'Made with a token', body: 'A report sent by a program.' });
    assert.equal(created.status, 201);
    assert.equal((await ctx.db('reports').where({ id: created.body.id }).first()).imported_by, editor.id, 'the token acts as its user');
    const listed = doc((await browser.agent.get('/account/tokens')).text);
    assert.match(listed.querySelector('table')!.textContent!, /CMS publishing.*fdk_….{4}.*Read and write/s);
    assert.ok(!(await browser.agent.get('/account/tokens')).text.includes(secret), 'the list never shows the secret');
    assert.notEqual((await ctx.db('api_tokens').where({ id: row.id }).first()).last_used_at, null, 'its last use is noted');
  });

  test('a refused token form shows the messages beside the fields, input kept', async () => {
    const res = await browser.post('/account/tokens', { name: '', scope: 'admin', lifetime: '9999' });
    assert.equal(res.status, 400);
    const page = doc(res.text);
    assert.match(page.getElementById('field-name-error')!.textContent!, /Enter a name for the token/);
    assert.match(page.querySelector('#field-scope-error, [id^="field-scope"][id$="error"]')!.textContent!, /read only, or read and write/);
    assert.match(page.getElementById('field-lifetime-error')!.textContent!, /7, 30, 90 or 365 days/);
  });

  test('a read-only token reads but is refused every write with 403', async () => {
    const api = new ApiClient(ctx.app, await makeOnPage({ name: 'Dashboard', scope: 'read', lifetime: '7' }));
    assert.equal((await api.get('/api/v1/reports')).status, 200);
    const refused = await api.post('/api/v1/reports', { title: 'Not allowed', body: 'A read-only token tries to write.' });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.code, 'read_only_token');
    assert.equal(await ctx.db('reports').where({ title: 'Not allowed' }).first(), undefined);
  });

  test('an expired token is refused; a revoked one too, by its owner or by an admin', async () => {
    const expiring = await tokenFor(ctx.db, editor);
    await ctx.db('api_tokens').where({ user_id: editor.id }).orderBy('id', 'desc').limit(1).update({ created_at: ctx.db.raw("now() - interval '31 days'"), expires_at: ctx.db.raw("now() - interval '1 second'") });
    const expired = await new ApiClient(ctx.app, expiring).get('/api/v1/reports');
    assert.equal(expired.status, 401);
    assert.match(expired.body.detail, /expired/);

    const own = await makeOnPage({ name: 'To revoke', scope: 'read', lifetime: '7' });
    const ownId = (await ctx.db('api_tokens').where({ name: 'To revoke' }).first()).id as number;
    assert.equal((await browser.post(`/account/tokens/${ownId}/revoke`)).status, 303);
    const revoked = await new ApiClient(ctx.app, own).get('/api/v1/reports');
    assert.equal(revoked.status, 401);
    assert.match(revoked.body.detail, /revoked/);

    const leaked = await makeOnPage({ name: 'Leaked', scope: 'write', lifetime: '90' });
    const leakedId = (await ctx.db('api_tokens').where({ name: 'Leaked' }).first()).id as number;
    const other = await Client.signedIn(ctx.app, await makeUser(ctx.db, { role: 'reviewer' }));
    assert.equal((await other.post(`/account/tokens/${leakedId}/revoke`)).status, 404, 'someone else’s token is not theirs to revoke');
    assert.equal((await other.agent.get('/admin/tokens')).status, 403);
    const asAdmin = await Client.signedIn(ctx.app, admin);
    const all = doc((await asAdmin.agent.get('/admin/tokens')).text);
    assert.match(all.querySelector('table')!.textContent!, /Leaked/);
    assert.equal((await asAdmin.post(`/admin/tokens/${leakedId}/revoke`)).status, 303);
    assert.equal((await new ApiClient(ctx.app, leaked).get('/api/v1/reports')).status, 401);
    const record = await ctx.db('api_tokens').where({ id: leakedId }).first();
    assert.equal(record.revoked_by, admin.id, 'who revoked it is kept');
  });

  test('a disabled account’s tokens stop working', async () => {
    const person = await makeUser(ctx.db, { role: 'editor' });
    const token = await tokenFor(ctx.db, person);
    await ctx.db('users').where({ id: person.id }).update({ disabled: true });
    assert.equal((await new ApiClient(ctx.app, token).get('/api/v1/reports')).status, 401);
  });
});

describe('the API’s rate limit', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestApp({ API_RATE_LIMIT: '5' });
  });
  after(() => ctx.close());

  test('past the limit a token gets 429 with Retry-After; another token is not held back', async () => {
    const editor = await makeUser(ctx.db, { role: 'editor' });
    const busy = new ApiClient(ctx.app, await tokenFor(ctx.db, editor));
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await busy.get('/api/v1/reports')).status);
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429, 429]);
    const limited = await busy.get('/api/v1/reports');
    assert.ok(Number(limited.headers['retry-after']) >= 1 && Number(limited.headers['retry-after']) <= 60);
    assert.equal(limited.body.code, 'too_many_requests');
    assert.equal((await new ApiClient(ctx.app, await tokenFor(ctx.db, editor)).get('/api/v1/reports')).status, 200);
  });
});
