import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import iconv from 'iconv-lite';
import { JSDOM } from 'jsdom';
import request from 'supertest';
import { decodeText } from '../../server/reports/encodings.ts';
import { closeExtraction } from '../../server/reports/extract.ts';
import { appWithEditor, type TestContext } from '../support/app.ts';
import type { Client } from '../support/client.ts';

/** A page in `encoding` that declares it in <meta charset>, with `text` as its article. */
const page = (text: string, meta: string | null) =>
  `<!doctype html><html><head>${meta ? `<meta charset="${meta}">` : ''}<title>${text.slice(0, 20)}</title></head><body><article><h1>${text.slice(0, 20)}</h1>${`<p>${text}</p>`.repeat(4)}</article></body></html>`;

const SAMPLES: { encoding: string; text: string }[] = [
  { encoding: 'windows-1251', text: 'Переговоры в Будапеште отложены, сообщили официальные лица во вторник после долгой встречи.' },
  { encoding: 'koi8-r', text: 'Переговоры в Майами продолжались три дня, и стороны обсуждали проект плана из 28 пунктов.' },
  { encoding: 'shift_jis', text: '首脳会談は延期されたと当局者が火曜日に述べた。両国の代表団は三日間協議を続けた。' },
  { encoding: 'iso-8859-2', text: 'Szczyt w Budapeszcie został odłożony, poinformowali urzędnicy we wtorek po długim spotkaniu.' },
  { encoding: 'iso-8859-7', text: 'Η σύνοδος κορυφής στη Βουδαπέστη αναβλήθηκε, δήλωσαν αξιωματούχοι την Τρίτη.' },
  { encoding: 'iso-8859-1', text: 'Le sommet de Budapest est reporté, ont déclaré mardi les responsables après une longue réunion.' },
];

describe('decoding a page as it declares itself', () => {
  for (const { encoding, text } of SAMPLES) {
    test(`${encoding}: by <meta charset> and by the transport's charset`, () => {
      assert.match(decodeText(iconv.encode(page(text, encoding), encoding))!, new RegExp(text.slice(0, 30)));
      assert.match(decodeText(iconv.encode(page(text, null), encoding), encoding)!, new RegExp(text.slice(0, 30)), 'an HTTP Content-Type charset');
    });
  }
  test('UTF-8 and UTF-16 by their byte order marks, whatever the meta says; undeclared bytes that are not UTF-8 are refused', () => {
    const text = SAMPLES[0]!.text;
    assert.match(decodeText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(page(text, 'windows-1251'))]))!, new RegExp(text.slice(0, 30)));
    assert.match(decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(page(text, null), 'utf-16le')]))!, new RegExp(text.slice(0, 30)));
    assert.match(decodeText(Buffer.from(page(text, 'utf-8')))!, new RegExp(text.slice(0, 30)));
    assert.equal(decodeText(iconv.encode(page(text, null), 'windows-1251')), null);
  });
});

describe('reading uploaded pages off the request thread', () => {
  let ctx: TestContext;
  let client: Client;
  before(async () => {
    ({ ctx, client } = await appWithEditor({ IMPORT_TIME_LIMIT_MS: '15000' }));
  });
  after(async () => {
    await closeExtraction();
    await ctx.close();
  });

  const upload = async (name: string, content: Buffer | string, fields: Record<string, string> = {}) => {
    const req = client.agent.post('/reports').field('_csrf', await client.csrf());
    for (const [k, v] of Object.entries(fields)) req.field(k, v);
    return req.attach('file', Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8'), name);
  };
  const bodyOf = async (res: request.Response) => {
    assert.equal(res.status, 303, [...new JSDOM(res.text).window.document.querySelectorAll('.field__error')].map((e) => e.textContent).join(' | '));
    return ((await ctx.db('reports').where({ id: Number(/\/reports\/(\d+)/.exec(res.headers.location!)![1]) }).first()) as { body: string }).body;
  };

  for (const { encoding, text } of SAMPLES.slice(0, 3)) {
    test(`an upload saved in ${encoding} is stored as the right text`, async () => {
      const body = await bodyOf(await upload(`page-${encoding}.html`, iconv.encode(page(text, encoding), encoding)));
      assert.ok(body.includes(text), body.slice(0, 200));
    });
  }

  test('figure captions are kept as text, images and empty list items are not', async () => {
    const html = `<!doctype html><html><head><title>Bridge</title></head><body><article><h1>The bridge</h1>
      <p>${'The bridge over the river opened to traffic in 2019, the minister said at a press conference on Monday. '.repeat(3)}</p>
      <figure><img src="a.jpg" alt=""><figcaption>The bridge cost 40 million euros, according to the ministry.</figcaption></figure>
      <ol><li><img src="1.jpg"></li><li><img src="2.jpg"></li><li><img src="3.jpg"></li></ol>
      <p>${'Critics said the opening came two years late and over budget, citing the audit office report. '.repeat(3)}</p></article></body></html>`;
    const body = await bodyOf(await upload('bridge.html', html));
    assert.match(body, /The bridge cost 40 million euros, according to the ministry\./);
    assert.doesNotMatch(body, /^\s*\d\.\s*$/m, 'no stray "1. 2. 3." lines');
  });

  test('a page that is not an article (a sign-in form) is refused with its text offered to import anyway', async () => {
    const html = `<!doctype html><html><head><title>Sign in</title></head><body><form><h1>Sign in</h1><label>Email <input name="e"></label><label>Password <input type="password"></label><button>Sign in</button><a href="/forgot">Forgot your password?</a></form></body></html>`;
    const refused = await upload('login.html', html);
    assert.equal(refused.status, 400);
    const doc = new JSDOM(refused.text).window.document;
    assert.match(doc.getElementById('field-file-error')!.textContent!, /does not look like an article/);
    assert.match((doc.getElementById('field-body') as HTMLTextAreaElement).value, /Forgot your password\?/);
    assert.equal(await ctx.db('reports').where({ title: 'Sign in' }).first(), undefined, 'nothing stored by the refusal');
    const anyway = await client.post('/reports', { title: 'Sign-in page', body: (doc.getElementById('field-body') as HTMLTextAreaElement).value });
    assert.equal(anyway.status, 303, 'imported as it is');
  });

  test('while a large, slow page is read, another person’s requests keep answering; past the time limit it is stopped', async (t) => {
    // A short article after 1.3 MB of table: JSDOM and Readability need far longer than the limit here.
    const table = `<table>${'<tr><td>cell one</td><td>cell two</td></tr>'.repeat(30_000)}</table>`;
    const html = `<!doctype html><html><head><title>Big page</title></head><body>${table}<article><h1>Big page</h1><p>${'The council approved the budget on Tuesday after a long debate about the bridge. '.repeat(4)}</p></article></body></html>`;
    const other = request.agent(ctx.app);
    let inFlight = true;
    const latencies: number[] = [];
    const uploadStarted = performance.now();
    const uploaded = upload('big.html', html).finally(() => {
      inFlight = false;
    });
    const probing = (async () => {
      while (inFlight) {
        const started = performance.now();
        const res = await other.get('/healthz');
        assert.equal(res.status, 200);
        if (inFlight) latencies.push(performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const res = await uploaded;
    await probing;
    const seconds = (performance.now() - uploadStarted) / 1000;
    latencies.sort((a, b) => a - b);
    t.diagnostic(`upload of ${(html.length / 1024 / 1024).toFixed(1)} MB answered ${res.status} after ${seconds.toFixed(1)} s; meanwhile ${latencies.length} /healthz answers, median ${latencies[Math.floor(latencies.length / 2)]?.toFixed(0)} ms, slowest ${latencies.at(-1)?.toFixed(0)} ms`);
    assert.equal(res.status, 400);
    assert.match(new JSDOM(res.text).window.document.getElementById('field-file-error')!.textContent!, /took longer than 15 seconds to read, so it was stopped/);
    assert.ok(latencies.length > 0, 'the other person was answered while the page was read');
    assert.equal(await ctx.db('reports').where({ title: 'Big page' }).first(), undefined, 'nothing stored');
  });
});
