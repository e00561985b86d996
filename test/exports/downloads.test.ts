import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { User } from '../../server/accounts/users.repo.ts';
import { contentDisposition, unicodeExportFileName } from '../../server/exports/filenames.ts';
import { createTestApp, type TestContext } from '../support/app.ts';
import { exportsSettled } from './support.ts';
import { Client } from '../support/client.ts';
import { makeClaimIn, makeReport, makeUser } from '../support/factories.ts';

const DAY = new Date('2026-11-24T10:00:00Z');
/** The header's shape: an ASCII name in quotes, then optionally an RFC 8187 UTF-8 name, nothing else. */
const HEADER = /^attachment; filename="(factdesk-[a-z0-9-]+-\d{4}-\d{2}-\d{2}\.[a-z.]+)"(?:; filename\*=UTF-8''([A-Za-z0-9%!#$&+.^_`|~-]+))?$/;

/** The two names a Content-Disposition header gives: [ASCII, UTF-8 (or null)]. */
function namesOf(header: string): [string, string | null] {
  const m = HEADER.exec(header);
  assert.ok(m, `malformed Content-Disposition: ${JSON.stringify(header)}`);
  return [m[1]!, m[2] ? decodeURIComponent(m[2]) : null];
}

describe('download file names', () => {
  test('a Cyrillic title keeps its name in filename*, with an ASCII fallback', () => {
    const [ascii, unicode] = namesOf(contentDisposition('Отчёт о бюджете: «план»', DAY, 'csv'));
    assert.equal(ascii, 'factdesk-claims-2026-11-24.csv');
    assert.equal(unicode, 'factdesk-отчёт-о-бюджете-план-2026-11-24.csv');
  });

  test('accents survive in filename*; the fallback spells them in ASCII', () => {
    assert.deepEqual(namesOf(contentDisposition('Zoë’s café', DAY, 'xlsx')), ['factdesk-zoe-s-cafe-2026-11-24.xlsx', 'factdesk-zoë-s-café-2026-11-24.xlsx']);
  });

  test('an ASCII title needs no second name', () => {
    assert.equal(contentDisposition('US 28-point plan', DAY, 'json'), 'attachment; filename="factdesk-us-28-point-plan-2026-11-24.json"');
  });

  const hostile: [string, string][] = [
    ['quotes and a header break', '"; filename="evil.exe\r\nX-Injected: 1 Отчёт'],
    ['a path up the tree', '../../etc/passwd Отчёт/..\\..\\boot.ini'],
    ['a bidi override faking the extension', 'Отчёт\u202Egnp.exe'],
    ['zero-width and control characters', 'От\u200Bчёт\u0000\u0007\u001b[31m'],
    ['a very long title', 'Очень длинный заголовок '.repeat(40)],
    ['emoji only', '😀🎉'],
  ];
  for (const [what, title] of hostile) {
    test(`a title with ${what} gives a safe header`, () => {
      const header = contentDisposition(title, DAY, 'csv');
      assert.doesNotMatch(header, /[\r\n\0]/);
      const [ascii, unicode] = namesOf(header);
      for (const name of [ascii, unicode ?? ascii]) {
        assert.match(name, /^factdesk-.*-2026-11-24\.csv$/, name);
        assert.doesNotMatch(name.slice(0, -'.csv'.length), /[./\\"'\p{Cc}\u200b-\u200f\u202a-\u202e\u2066-\u2069]/u, `${name} has a dot, slash, quote or control character`);
        assert.ok(Array.from(name).length <= 'factdesk--2026-11-24.csv'.length + 60, `${name} is too long`);
      }
    });
  }

  test('a cut never splits a character in two', () => {
    const name = unicodeExportFileName('𝒜'.repeat(100), DAY, 'csv');
    assert.equal(name, `factdesk-${'𝒜'.repeat(60)}-2026-11-24.csv`);
  });
});

describe('download headers', () => {
  let ctx: TestContext;
  let editor: User;
  let client: Client;
  let reportId: number;
  before(async () => {
    ctx = await createTestApp();
    editor = await makeUser(ctx.db);
    const reviewer = await makeUser(ctx.db, { role: 'reviewer' });
    client = await Client.signedIn(ctx.app, editor);
    reportId = await makeReport(ctx.db, editor, { title: 'Отчёт о мосте' });
    await makeClaimIn(ctx.db, 'verified', { author: editor, reviewer, reportId });
  });
  after(async () => {
    await exportsSettled(ctx.db);
    await ctx.close();
  });

  const formats: [string, string][] = [
    ['csv', 'text/csv; charset=utf-8'],
    ['evidence.csv', 'text/csv; charset=utf-8'],
    ['xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    ['json', 'application/json; charset=utf-8'],
    ['jsonld', 'application/ld+json; charset=utf-8'],
  ];
  for (const [ext, type] of formats) {
    test(`.${ext} goes out as ${type}, named after the report in its own script`, async () => {
      const res = await client.get(`/reports/${reportId}/sheet.${ext}`).buffer(true).parse((r, done) => {
        r.on('data', () => undefined);
        r.on('end', () => done(null, null));
      });
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-type'], type);
      const [ascii, unicode] = namesOf(res.headers['content-disposition']!);
      assert.match(ascii, new RegExp(`^factdesk-claims-\\d{4}-\\d{2}-\\d{2}\\.${ext.replace('.', '\\.')}$`));
      assert.match(unicode!, new RegExp(`^factdesk-отчёт-о-мосте-\\d{4}-\\d{2}-\\d{2}\\.${ext.replace('.', '\\.')}$`));
      assert.equal(res.headers['cache-control'], 'no-store');
    });
  }

  test('an export of a filtered list is named after what it holds: the scope and each filter', async () => {
    const name = async (query: string) => namesOf((await client.get(`/claims/sheet.csv${query}`)).headers['content-disposition']!);
    assert.match((await name(''))[0]!, /^factdesk-claims-verified-\d{4}-\d{2}-\d{2}\.csv$/);
    assert.match((await name('?scope=decided&tag=russia'))[0]!, /^factdesk-claims-decided-tag-russia-\d{4}-\d{2}-\d{2}\.csv$/);
    assert.match((await name('?status=verified&claimant=Kremlin&sort=oldest'))[0]!, /^factdesk-claims-verified-status-verified-claimant-kremlin-\d{4}-\d{2}-\d{2}\.csv$/, 'the sort order says nothing of the contents');
    const [ascii, unicode] = await name('?tag=%D0%BC%D0%BE%D1%81%D1%82');
    assert.match(ascii!, /^factdesk-claims-verified-tag-\d{4}-\d{2}-\d{2}\.csv$/);
    assert.match(unicode!, /^factdesk-claims-verified-tag-мост-\d{4}-\d{2}-\d{2}\.csv$/, 'a Cyrillic tag keeps its name in filename*');
  });

  test('a request the export refuses gets the error page as a page, not as a file', async () => {
    const res = await client.get(`/reports/${reportId}/sheet.csv?scope=all`);
    assert.equal(res.status, 400);
    assert.match(res.headers['content-type']!, /^text\/html/);
    assert.equal(res.headers['content-disposition'], undefined);
  });
});
