import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestContext } from '../support/app.ts';
import { Client } from '../support/client.ts';
import { makeClaim, makeReport, makeUser } from '../support/factories.ts';

describe('limits', () => {
  let ctx: TestContext;
  let client: Client;
  let claimId: number;
  before(async () => {
    ctx = await createTestApp();
    const editor = await makeUser(ctx.db);
    client = await Client.signedIn(ctx.app, editor);
    claimId = await makeClaim(ctx.db, editor, await makeReport(ctx.db, editor));
  });
  after(() => ctx.close());

  test('an oversize form body is a 413, and nothing is stored', async () => {
    const res = await client.agent.post(`/claims/${claimId}/comments`).type('form').send(`_csrf=${await client.csrf()}&body=${'x'.repeat(13 * 1024 * 1024)}`);
    assert.equal(res.status, 413);
    assert.equal((await ctx.db('comments').where({ claim_id: claimId })).length, 0);
  });

  test('an oversize JSON body is a 413', async () => {
    const res = await client.agent.post(`/claims/${claimId}/comments`).set('Content-Type', 'application/json').set('X-CSRF-Token', await client.csrf()).send(JSON.stringify({ body: 'x'.repeat(13 * 1024 * 1024) }));
    assert.equal(res.status, 413);
  });

  test('an upload over 5 MB is a 413 and more than one file is refused', async () => {
    const big = await client.agent.post('/reports').field('_csrf', await client.csrf()).field('title', 'Big').attach('file', Buffer.alloc(6 * 1024 * 1024, 'a'), 'big.txt');
    assert.equal(big.status, 413);
    const two = await client.agent.post('/reports').field('_csrf', await client.csrf()).attach('file', Buffer.from('a'), 'a.txt').attach('file', Buffer.from('b'), 'b.txt');
    assert.ok(two.status === 400 || two.status === 413, String(two.status));
  });

  test('a multipart body is read only by the import route: elsewhere, and for a visitor who is not signed in, it is refused before it is read', async () => {
    const big = Buffer.alloc(6 * 1024 * 1024, 'a');
    const anon = new Client(ctx.app);
    const token = await anon.csrf();
    // Had the 6 MB file been read, the answer would be the upload limit's 413.
    const elsewhere = await anon.agent.post(`/claims/${claimId}/comments`).field('_csrf', token).field('body', 'hi').attach('file', big, 'big.txt');
    assert.equal(elsewhere.status, 403, 'the token in an unread multipart body is not found: a CSRF refusal');
    const onImport = await anon.agent.post('/reports').field('_csrf', token).field('title', 'Anonymous').attach('file', big, 'big.txt');
    assert.equal(onImport.status, 303);
    assert.equal(onImport.headers.location, '/login');
    const signedIn = await client.agent.post(`/claims/${claimId}/comments`).field('_csrf', await client.csrf()).field('body', 'multipart comment').attach('file', big, 'big.txt');
    assert.equal(signedIn.status, 403, 'a signed-in user’s multipart body is not read outside the import either');
    assert.equal((await ctx.db('comments').where({ claim_id: claimId })).length, 0);
    assert.equal((await ctx.db('reports').where({ title: 'Anonymous' })).length, 0);
  });

  test('a visitor who is not signed in cannot send a large form or JSON body past the sign-in forms: they are sent to sign in', async () => {
    const anon = new Client(ctx.app);
    const token = await anon.csrf();
    const form = await anon.agent.post(`/claims/${claimId}/comments`).type('form').send(`_csrf=${token}&body=${'x'.repeat(200 * 1024)}`);
    assert.equal(form.status, 303);
    assert.equal(form.headers.location, '/login');
    const json = await anon.agent.post('/reports').set('Accept', 'application/json').set('Content-Type', 'application/json').set('X-CSRF-Token', token).send(JSON.stringify({ title: 'x', body: 'x'.repeat(200 * 1024) }));
    assert.equal(json.status, 401);
    // The sign-in form itself reads an over-long password, to say so beside the field.
    const long = await anon.agent.post('/login').type('form').send(`_csrf=${token}&email=a%40b.test&password=${'x'.repeat(200 * 1024)}`);
    assert.equal(long.status, 400);
    assert.match(long.text, /Password must be 256 characters or fewer/);
    const small = await anon.post('/login', { email: 'nobody@desk.test', password: 'wrong password here' });
    assert.equal(small.status, 401, 'an ordinary sign-in form is still read (and its wrong password refused)');
    assert.match(small.text, /value="nobody@desk.test"/);
    assert.equal((await ctx.db('comments').where({ claim_id: claimId })).length, 0);
  });

  test('too many form fields is a 413', async () => {
    const fields = Array.from({ length: 500 }, (_, i) => `f${i}=1`).join('&');
    const res = await client.agent.post(`/claims/${claimId}/comments`).type('form').send(`_csrf=${await client.csrf()}&body=hi&${fields}`);
    assert.equal(res.status, 413);
  });

  test('the bulk form takes the claims of a page, but not without end', async () => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => `ids=${i + 1}:1`).join('&');
    const fits = await client.agent.post('/claims/bulk').type('form').send(`_csrf=${await client.csrf()}&bulkAction=withdraw&back=/claims&${ids(300)}`);
    assert.equal(fits.status, 303, 'three hundred claims ticked on a report');
    const tooMany = await client.agent.post('/claims/bulk').type('form').send(`_csrf=${await client.csrf()}&bulkAction=withdraw&${ids(10_500)}`);
    assert.equal(tooMany.status, 413);
  });

  test('too many multipart parts is refused', async () => {
    let req = client.agent.post('/reports').field('_csrf', await client.csrf());
    for (let i = 0; i < 80; i++) req = req.field(`f${i}`, 'x');
    const res = await req;
    assert.ok(res.status === 400 || res.status === 413, String(res.status));
  });

  test('deeply nested JSON is a 400, not a 500', async () => {
    const deep = '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000);
    const res = await client.agent.post(`/claims/${claimId}/comments`).set('Content-Type', 'application/json').set('Accept', 'application/json').set('X-CSRF-Token', await client.csrf()).send(deep);
    assert.ok(res.status === 400 || res.status === 413, `got ${res.status}`);
    const nested = await client.postJson(`/claims/${claimId}/comments`, { body: { a: { b: { c: ['x'] } } } });
    assert.equal(nested.status, 400, 'an object where text is expected is refused');
  });

  for (const id of ['abc', '-1', '0', '1.5', '99999999999', '1e3', '%00', '1;DROP TABLE claims', "1' OR '1'='1"]) {
    test(`an invalid id ${JSON.stringify(id)} is a 404`, async () => {
      for (const path of [`/claims/${encodeURIComponent(id)}`, `/reports/${encodeURIComponent(id)}`, `/sources/${encodeURIComponent(id)}`, `/claims/${encodeURIComponent(id)}/edit`]) {
        const res = await client.get(path);
        assert.equal(res.status, 404, path);
      }
      const post = await client.post(`/claims/${encodeURIComponent(id)}/comments`, { body: 'x' });
      assert.equal(post.status, 404);
    });
  }

  const enums: [string, Record<string, string>, string][] = [
    [`/claims/${0}/evidence`, { relation: 'proves', credibility: '2', newTitle: 'x' }, 'relation'],
    ['/sources', { kind: 'web_page', title: 't', reliability: 'Q' }, 'reliability'],
    ['/sources', { kind: 'blog', title: 't', reliability: 'A' }, 'kind'],
  ];
  for (const [path, form, field] of enums) {
    test(`an unknown ${field} is a 400 with its message`, async () => {
      const res = await client.post(path.replace('/0/', `/${claimId}/`), form);
      assert.equal(res.status, 400);
      assert.match(res.text, new RegExp(`id="field-${field}-error"`));
    });
  }

  test('unknown values in list filters and export scopes are 400s', async () => {
    for (const path of ['/claims?kind=rumour', '/claims?sort=random()', '/claims?assignee=everyone', '/claims?from=2025-13-45', '/claims/sheet.csv?scope=everything', '/review?assignee=x']) {
      assert.equal((await client.getJson(path)).status, 400, path);
    }
  });
});
