import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { User } from '../../server/accounts/users.repo.ts';
import { createTestApp, type TestContext } from '../support/app.ts';
import { Client } from '../support/client.ts';
import { makeUser } from '../support/factories.ts';
import { assertNoInjectedMarkup } from '../support/html.ts';
import { missingShared, readShared, xssPayloads } from '../support/shared.ts';

const FIXTURE = 'fixtures/report-28-point-plan.txt';

describe('importing reports', () => {
  let ctx: TestContext;
  let editor: User;
  let client: Client;
  before(async () => {
    ctx = await createTestApp();
    editor = await makeUser(ctx.db, { role: 'editor' });
    client = await Client.signedIn(ctx.app, editor);
  });
  after(() => ctx.close());

  const upload = async (name: string, content: Buffer | string, fields: Record<string, string> = {}) => {
    const req = client.agent.post('/reports').field('_csrf', await client.csrf());
    for (const [k, v] of Object.entries(fields)) req.field(k, v);
    return req.attach('file', Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8'), name);
  };

  test('a pasted report is stored NFC-normalised with \\n line breaks, as revision 1', async () => {
    const decomposed = 'Zoe\u0308 said it.\r\n\r\n\r\n\r\nThe cafe\u0301 is open.   \r\n';
    const res = await client.post('/reports', { title: 'Pasted', outlet: 'Desk', url: 'https://news.example/a', publishedOn: '2025-11-21', body: decomposed });
    assert.equal(res.status, 303);
    const id = Number(/\/reports\/(\d+)/.exec(res.headers.location ?? '')?.[1]);
    const row = await ctx.db('reports').where({ id }).first();
    assert.equal(row.body, 'Zoë said it.\n\nThe café is open.');
    assert.equal(row.revision, 1);
    assert.equal(row.published_on, '2025-11-21');
    const revisions = await ctx.db('report_revisions').where({ report_id: id });
    assert.equal(revisions.length, 1);
  });

  test('the fixture report uploads as a .txt file with its text intact', { skip: missingShared(FIXTURE) }, async () => {
    const text = readShared(FIXTURE)!;
    const res = await upload('report-28-point-plan.txt', text, { title: 'US 28-point plan', outlet: 'Fixture' });
    assert.equal(res.status, 303);
    const id = Number(/\/reports\/(\d+)/.exec(res.headers.location ?? '')?.[1]);
    const row = await ctx.db('reports').where({ id }).first();
    assert.equal(row.body, text.normalize('NFC').trim());
    const page = await client.get(`/reports/${id}`);
    assert.equal(page.status, 200);
    assert.ok(page.text.includes('Trump’s reported 28-point plan'));
  });

  test('an HTML file is reduced to its readable article text, and gives the title', async () => {
    const html = `<!doctype html><html><head><title>Summit on hold | Daily Example</title><meta property="og:site_name" content="Daily Example"></head>
      <body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
      <article><h1>Summit on hold</h1><p class="byline">By Jane Reporter</p>
      <p>A planned summit in Budapest remains on hold for now, officials said on Tuesday after a long meeting in the capital.</p>
      <p>Talks between the envoys continued in Miami, where they spent three days discussing a draft of the plan.</p>
      <p>Neither side gave a date for the next round, but both said they expected one before the end of the year.</p>
      <script>alert('x')</script></article><footer>Copyright Daily Example. Subscribe now.</footer></body></html>`;
    const res = await upload('summit.html', html);
    assert.equal(res.status, 303, res.text.slice(0, 500));
    const id = Number(/\/reports\/(\d+)/.exec(res.headers.location ?? '')?.[1]);
    const row = await ctx.db('reports').where({ id }).first();
    assert.match(row.title, /Summit on hold/);
    assert.match(row.body, /A planned summit in Budapest remains on hold for now/);
    assert.match(row.body, /\n\n/, 'paragraphs are kept');
    assert.doesNotMatch(row.body, /alert|Subscribe now|<p>/);
  });

  test('a markdown file becomes plain text', async () => {
    const res = await upload('notes.md', '# Heading\n\nSome **bold** claim with a [link](https://x.example).\n\n- one\n- two\n', { title: 'Markdown' });
    assert.equal(res.status, 303);
    const id = Number(/\/reports\/(\d+)/.exec(res.headers.location ?? '')?.[1]);
    const row = await ctx.db('reports').where({ id }).first();
    assert.match(row.body, /^Heading\n\nSome bold claim with a link\./);
    assert.doesNotMatch(row.body, /\*\*|\]\(/);
  });

  const refused: [string, Buffer | string, RegExp][] = [
    ['an .exe renamed .txt', Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff', 'latin1'), Buffer.alloc(200, 0)]), /binary|really a EXE/i],
    ['a PNG renamed .txt', Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex'), /really a PNG/],
    ['a PDF named .md', Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n', 'latin1'), /really a PDF/],
    ['Latin-1 text', Buffer.from('Caf\xe9 cr\xe8me', 'latin1'), /not UTF-8/],
    ['a .docx', Buffer.from('PK\x03\x04', 'latin1'), /\.docx file cannot be imported/],
    ['an empty file', Buffer.alloc(0), /empty/],
  ];
  const names = ['report.txt', 'report.txt', 'report.md', 'report.txt', 'report.docx', 'report.txt'];
  refused.forEach(([what, content, message], i) => {
    test(`${what} is refused with 400, a message beside the file field, and nothing stored`, async () => {
      const before = (await ctx.db('reports').count<{ n: number }[]>('* as n'))[0]!.n;
      const res = await upload(names[i]!, content, { title: 'Should not be stored' });
      assert.equal(res.status, 400);
      assert.match(res.text, /id="field-file-error"/);
      assert.match(res.text, message);
      assert.match(res.text, /value="Should not be stored"/, 'the title typed is kept');
      assert.equal((await ctx.db('reports').count<{ n: number }[]>('* as n'))[0]!.n, before);
    });
  });

  test('a file over 5 MB is a 413 that shows the import form again: the message beside the file field, title and outlet kept, still signed in', async () => {
    const before = (await ctx.db('reports').count<{ n: number }[]>('* as n'))[0]!.n;
    const res = await upload('big.txt', 'a'.repeat(5 * 1024 * 1024 + 10), { title: 'Kept title', outlet: 'Kept outlet', byline: 'Kept byline' });
    assert.equal(res.status, 413);
    assert.match(res.text, /<h1>Import a report<\/h1>/);
    assert.match(res.text, /id="field-file-error"[^>]*>[\s\S]*larger than 5 MB/);
    assert.match(res.text, /href="#field-file"/, 'the error summary links to the file field');
    assert.match(res.text, /value="Kept title"/);
    assert.match(res.text, /value="Kept outlet"/);
    assert.match(res.text, /value="Kept byline"/);
    assert.match(res.text, new RegExp(editor.displayName), 'the page is shown to the signed-in user');
    assert.equal((await ctx.db('reports').count<{ n: number }[]>('* as n'))[0]!.n, before);
  });

  test('pasted text over 4 MB in the multipart form is a 413 with the message beside the text box, the other fields kept', async () => {
    const req = client.agent.post('/reports').field('_csrf', await client.csrf()).field('title', 'Long paste').field('outlet', 'Paste outlet').field('body', 'word '.repeat(900_000));
    const res = await req.attach('file', Buffer.alloc(0), { filename: '', contentType: 'application/octet-stream' });
    assert.equal(res.status, 413);
    assert.match(res.text, /id="field-body-error"[^>]*>[\s\S]*larger than 4 MB/);
    assert.match(res.text, /href="#field-body"/);
    assert.match(res.text, /value="Long paste"/);
    assert.match(res.text, /value="Paste outlet"/);
  });

  test('the multipart form is checked for its CSRF token: without it, or with another session’s, nothing is stored', async () => {
    const before = (await ctx.db('reports').count<{ n: number }[]>('* as n'))[0]!.n;
    const without = await client.agent.post('/reports').field('title', 'No token').attach('file', Buffer.from('Some text.'), 'a.txt');
    assert.equal(without.status, 403);
    const other = await Client.signedIn(ctx.app, editor);
    const wrong = await client.agent.post('/reports').field('_csrf', await other.csrf()).field('title', 'Wrong token').attach('file', Buffer.from('Some text.'), 'a.txt');
    assert.equal(wrong.status, 403);
    const oversize = await client.agent.post('/reports').field('title', 'No token, big').attach('file', Buffer.alloc(6 * 1024 * 1024, 'a'), 'big.txt');
    assert.equal(oversize.status, 403, 'a refused upload without a token is a CSRF failure, not the form');
    assert.equal((await ctx.db('reports').count<{ n: number }[]>('* as n'))[0]!.n, before);
    const right = await upload('a.txt', 'Some text.', { title: 'With token' });
    assert.equal(right.status, 303);
  });

  test('a body over 1 MB of text is refused with a message that says the limit', async () => {
    const res = await client.post('/reports', { title: 'Too long', body: 'word '.repeat(210_000) });
    assert.equal(res.status, 400);
    assert.match(res.text, /at most 1 MB of text/);
  });

  test('missing title and text are each named beside their field', async () => {
    const res = await client.post('/reports', { outlet: 'Kept outlet', url: 'javascript:alert(1)' });
    assert.equal(res.status, 400);
    assert.match(res.text, /id="field-title-error"/);
    assert.match(res.text, /id="field-body-error"/);
    assert.match(res.text, /id="field-url-error"[\s\S]*Only web addresses/);
    assert.match(res.text, /value="Kept outlet"/);
  });

  test('pasting text and uploading a file at once is refused', async () => {
    const res = await upload('a.txt', 'File text', { title: 'Both', body: 'Pasted text' });
    assert.equal(res.status, 400);
    assert.match(res.text, /not both/);
  });

  test('XSS payloads as title and text are shown as text, escaped in the HTML', { skip: missingShared('data/xss-polyglots.txt') }, async () => {
    for (const payload of xssPayloads()) {
      const res = await client.post('/reports', { title: payload.slice(0, 300), outlet: payload.slice(0, 200), body: `Before.\n\n${payload}\n\nAfter.` });
      assert.equal(res.status, 303);
      for (const path of [res.headers.location!, '/reports']) {
        const page = await client.get(path);
        assert.equal(page.status, 200);
        assertNoInjectedMarkup(page.text, path);
        assert.ok(!page.text.includes(payload), 'the raw payload never appears unescaped');
      }
    }
  });
});
