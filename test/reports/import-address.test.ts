import assert from 'node:assert/strict';
import { lookup } from 'node:dns/promises';
import { after, before, describe, test } from 'node:test';
import iconv from 'iconv-lite';
import { JSDOM } from 'jsdom';
import type request from 'supertest';
import { closeExtraction } from '../../server/reports/extract.ts';
import { createTestApp, type TestContext } from '../support/app.ts';
import { Client } from '../support/client.ts';
import { makeUser } from '../support/factories.ts';
import { articlePage, startPageServer, type PageServer } from '../support/page-server.ts';

const PARAGRAPHS = [
  'The city council approved a budget of 48 million euros on Tuesday, the mayor said after a four-hour session.',
  'According to the finance office, spending on the new tram line rises by 12 percent compared with last year.',
  'Opposition members voted against the plan, saying the bridge repairs had been postponed for a third time.',
];
const ARTICLE = articlePage({ title: 'Council approves the budget', byline: 'Maria Example', paragraphs: PARAGRAPHS });

/** Text in other alphabets, to send in each encoding. */
const CYRILLIC = 'Рада ухвалила бюджет у вівторок після чотиригодинного засідання, повідомив мер міста журналістам.';
const RUSSIAN = 'Совет утвердил бюджет во вторник после четырёхчасового заседания, сообщил мэр города журналистам.';
const JAPANESE = '市議会は火曜日、四時間の審議の末に予算を承認したと市長が記者団に語った。路面電車の新線への支出は増える。';
const LATIN = "Le conseil municipal a approuvé mardi un budget de 48 millions d'euros, a déclaré le maire après la séance.";
const ENCODED: { encoding: string; text: string }[] = [
  { encoding: 'windows-1251', text: CYRILLIC },
  { encoding: 'koi8-r', text: RUSSIAN },
  { encoding: 'shift_jis', text: JAPANESE },
  { encoding: 'iso-8859-1', text: LATIN },
  { encoding: 'iso-8859-5', text: RUSSIAN },
  { encoding: 'utf-8', text: CYRILLIC },
];
const encodedPage = (text: string, meta: string | null) =>
  articlePage({ title: 'Budget', byline: 'Desk', paragraphs: [text, text, text], head: meta ? `<meta charset="${meta}">` : '' });

describe('importing a report from its web address', () => {
  let ctx: TestContext;
  let client: Client;
  let server: PageServer;

  before(async () => {
    server = await startPageServer({
      '/article': (_q, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(ARTICLE),
      '/moved/1': (_q, res) => res.writeHead(301, { location: '/moved/2' }).end(),
      '/moved/2': (_q, res) => res.writeHead(302, { location: '/moved/3' }).end(),
      '/moved/3': (_q, res, s) => res.writeHead(308, { location: `${s.origin}/article` }).end(),
      '/huge': (_q, res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(`<html><body><p>${'x'.repeat(6 * 1024 * 1024)}</p></body></html>`);
      },
      '/report.pdf': (_q, res) => res.writeHead(200, { 'content-type': 'application/pdf' }).end('%PDF-1.7 not really'),
      '/slow': (_q, res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.write('<!doctype html><html><body><p>The first words arrive and then');
      },
      '/gone': (_q, res) => res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not found</h1>'),
      '/to-private': (_q, res) => res.writeHead(302, { location: 'http://192.168.1.1/article' }).end(),
      '/sign-in': (_q, res) =>
        res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><html><head><title>Sign in</title></head><body><form><h1>Sign in</h1><label>Email <input name="e"></label><button>Sign in</button><a href="/forgot">Forgot your password?</a></form></body></html>'),
      '/encoded': (q, res) => {
        const params = new URL(q.url!, 'http://x').searchParams;
        const { encoding, text } = ENCODED[Number(params.get('n'))]!;
        const by = params.get('by');
        const bytes = iconv.encode(encodedPage(text, by === 'meta' ? encoding : null), encoding, { addBOM: by === 'bom' });
        res.writeHead(200, { 'content-type': by === 'header' ? `text/html; charset=${encoding}` : 'text/html' }).end(bytes);
      },
      '/notes.txt': (_q, res) => res.writeHead(200, { 'content-type': 'text/plain; charset=koi8-r' }).end(iconv.encode(`Заметки\n\n${RUSSIAN}`, 'koi8-r')),
    });
    // The test's own server is on 127.0.0.1, allowed as an admin would allow an intranet host; a test name resolves to a private address.
    ctx = await createTestApp(
      { FETCH_ALLOW_HOSTS: '127.0.0.1', FETCH_TIMEOUT_MS: '1500' },
      { resolveHost: async (host) => (host === 'intranet.example' ? [{ address: '10.9.8.7', family: 4 }] : await lookup(host, { all: true, verbatim: true })) },
    );
    client = await Client.signedIn(ctx.app, await makeUser(ctx.db));
  });
  after(async () => {
    await closeExtraction();
    await server.close();
    await ctx.close();
  });

  const importFrom = async (address: string, fields: Record<string, string> = {}) => client.post('/reports', { address, body: '', ...fields });
  const stored = async (res: request.Response) => {
    assert.equal(res.status, 303, errorsOf(res).join(' | '));
    return (await ctx.db('reports').where({ id: Number(/\/reports\/(\d+)/.exec(res.headers.location!)![1]) }).first()) as { title: string; byline: string; outlet: string; url: string; body: string };
  };
  const errorsOf = (res: request.Response) => [...new JSDOM(res.text).window.document.querySelectorAll('.field__error')].map((e) => e.textContent!.trim());
  const refusedBesideAddress = async (address: string, message: RegExp, status = 400) => {
    const before = await ctx.db('reports').count<{ count: string }[]>({ count: '*' });
    const res = await importFrom(address, { title: 'Kept title' });
    assert.equal(res.status, status, `${address}: ${errorsOf(res).join(' | ')}`);
    const doc = new JSDOM(res.text).window.document;
    assert.match(doc.getElementById('field-address-error')?.textContent ?? '(no message beside the address)', message);
    assert.equal((doc.getElementById('field-address') as HTMLInputElement).value, address, 'the address is kept in the form');
    assert.equal((doc.getElementById('field-title') as HTMLInputElement).value, 'Kept title');
    assert.deepEqual(await ctx.db('reports').count<{ count: string }[]>({ count: '*' }), before, 'nothing stored');
  };

  test('an article imports with its title, byline, outlet and text, and keeps its address', async () => {
    const report = await stored(await importFrom(`${server.origin}/article`));
    assert.equal(report.title, 'Council approves the budget');
    assert.equal(report.byline, 'Maria Example');
    assert.equal(report.outlet, 'The Daily Example');
    assert.equal(report.url, `${server.origin}/article`);
    for (const p of PARAGRAPHS) assert.ok(report.body.includes(p), p);
    assert.doesNotMatch(report.body, /Copyright|World/, 'navigation and footer are not the article');
  });

  test('a redirect chain is followed to the article; the address pasted stays on the report', async () => {
    const report = await stored(await importFrom(`${server.origin}/moved/1`));
    assert.equal(report.title, 'Council approves the budget');
    assert.equal(report.url, `${server.origin}/moved/1`);
  });

  test('a page too large, a PDF, a slow server, a missing page and a page that is not an article are refused beside the address', async () => {
    await refusedBesideAddress(`${server.origin}/huge`, /larger than 5 MB/);
    await refusedBesideAddress(`${server.origin}/report.pdf`, /gives a application\/pdf file, not a web page/);
    await refusedBesideAddress(`${server.origin}/slow`, /took longer than 1\.5 seconds/);
    await refusedBesideAddress(`${server.origin}/gone`, /answered with an error \(HTTP 404\)/);
    await refusedBesideAddress('ftp://example.com/report.html', /starting with https:\/\//);
  });

  test('a sign-in page is offered as text, its address moved to the URL box so that sending again imports the text', async () => {
    const res = await importFrom(`${server.origin}/sign-in`);
    assert.equal(res.status, 400);
    const doc = new JSDOM(res.text).window.document;
    assert.match(doc.getElementById('field-address-error')!.textContent!, /does not look like an article/);
    assert.equal((doc.getElementById('field-address') as HTMLInputElement).value, '');
    assert.equal((doc.getElementById('field-url') as HTMLInputElement).value, `${server.origin}/sign-in`);
    const text = (doc.getElementById('field-body') as HTMLTextAreaElement).value;
    assert.match(text, /Forgot your password\?/);
    const requested = server.requests.length;
    const report = await stored(await client.post('/reports', { title: 'Sign-in page', body: text, url: `${server.origin}/sign-in`, address: '' }));
    assert.equal(report.url, `${server.origin}/sign-in`);
    assert.equal(server.requests.length, requested, 'not fetched again');
  });

  test('addresses on the desk’s own network are refused beside the field, and the private host is never asked', async () => {
    const requested = server.requests.length;
    await refusedBesideAddress(`http://localhost:${server.port}/article`, /this machine itself \(a loopback address\)/);
    await refusedBesideAddress(`http://[::1]:${server.port}/article`, /loopback/);
    await refusedBesideAddress(`http://[::ffff:127.0.0.1]:${server.port}/article`, /loopback/);
    await refusedBesideAddress('http://10.0.0.8/article', /a private network/);
    await refusedBesideAddress('http://172.16.0.8/article', /a private network/);
    await refusedBesideAddress('http://192.168.0.8/article', /a private network/);
    await refusedBesideAddress('http://169.254.169.254/latest/meta-data/', /cloud metadata service/);
    await refusedBesideAddress('http://intranet.example/article', /intranet\.example is at 10\.9\.8\.7, a private network/);
    assert.equal(server.requests.length, requested, 'none of them reached the test’s server');
    await refusedBesideAddress(`${server.origin}/to-private`, /192\.168\.1\.1 is a private network/);
    assert.equal(server.requests.length, requested + 1, 'only the allowed host was asked, once');
  });

  test('giving an address and uploading a file at once is refused', async () => {
    const res = await client.agent.post('/reports').field('_csrf', await client.csrf()).field('address', `${server.origin}/article`).attach('file', Buffer.from('Some text'), 'a.txt');
    assert.equal(res.status, 400);
    assert.match(new JSDOM(res.text).window.document.getElementById('field-address-error')!.textContent!, /not both/);
  });

  for (const [n, { encoding, text }] of ENCODED.entries()) {
    for (const by of ['header', 'meta', 'bom'] as const) {
      // iconv-lite writes a BOM only for the Unicode encodings.
      if (by === 'bom' && encoding !== 'utf-8') continue;
      test(`a page in ${encoding}, declared by its ${by === 'bom' ? 'byte order mark' : by === 'header' ? 'HTTP Content-Type' : '<meta charset>'}, is stored as the right text`, async () => {
        const report = await stored(await importFrom(`${server.origin}/encoded?n=${n}&by=${by}`, { title: `${encoding} by ${by}` }));
        assert.ok(report.body.includes(text), report.body.slice(0, 200));
      });
    }
  }

  test('a plain-text page is imported as text, in the charset its header gives', async () => {
    const report = await stored(await importFrom(`${server.origin}/notes.txt`));
    assert.equal(report.title, 'Заметки');
    assert.ok(report.body.includes(RUSSIAN));
  });
});
