import assert from 'node:assert/strict';
import { get, type Server } from 'node:http';
import { after, before, describe, test } from 'node:test';
import type { User } from '../../server/accounts/users.repo.ts';
import { createTestApp, type TestContext } from '../support/app.ts';
import { Client } from '../support/client.ts';
import { TEST_PASSWORD, makeClaimIn, makeReport, makeUser, withDecisionGuardsOff } from '../support/factories.ts';
import { exportsSettled, sessionCookie } from './support.ts';
import { eventually } from '../support/eventually.ts';

/** Many verified claims with long quotes, inserted in one statement: an export too large for the sockets' buffers. */
async function manyVerifiedClaims(ctx: TestContext, reportId: number, author: User, reviewer: User, count: number): Promise<void> {
  await withDecisionGuardsOff(ctx.db, (trx) => trx.raw(
    `INSERT INTO claims (report_id, statement, quote, quote_start, quote_end, kind, authors, created_by, status, confidence, rationale,
                         submitted_at, status_changed_by, status_changed_at, decided_by, decided_at)
     SELECT :reportId, 'Claim ' || g || ': the bridge opened in 2019.', repeat('The minister said the bridge opened. ', 100) || g, g, g + 3700,
            'factual', ARRAY[:author]::integer[], :author, 'verified', 'high', 'Checked against the records.', now(), :reviewer, now(), :reviewer, now()
       FROM generate_series(1, :count) g`,
    { reportId, author: author.id, reviewer: reviewer.id, count },
  ));
}

const latestEntry = (ctx: TestContext, format: string, after: number) =>
  eventually(() => ctx.db('export_log').where({ format }).where('id', '>', after).orderBy('id', 'desc').first(), { what: `the ${format} export in the log` });
const lastId = async (ctx: TestContext) => Number((await ctx.db('export_log').max<{ max: number | null }[]>('id as max'))[0]!.max ?? 0);

describe('the export log says what was sent', () => {
  let ctx: TestContext;
  let editor: User;
  let client: Client;
  let reportId: number;
  let verified: number;
  before(async () => {
    ctx = await createTestApp();
    editor = await makeUser(ctx.db);
    const reviewer = await makeUser(ctx.db, { role: 'reviewer' });
    client = await Client.signedIn(ctx.app, editor);
    reportId = await makeReport(ctx.db, editor);
    verified = await makeClaimIn(ctx.db, 'verified', { author: editor, reviewer, reportId });
  });
  after(async () => {
    await exportsSettled(ctx.db);
    await ctx.close();
  });

  test('a download that arrives whole is logged as completed, with its claims', async () => {
    for (const [ext, format] of [['csv', 'csv'], ['xlsx', 'xlsx'], ['json', 'json'], ['jsonld', 'claimreview']] as const) {
      const before = await lastId(ctx);
      assert.equal((await client.get(`/reports/${reportId}/sheet.${ext}`)).status, 200);
      const entry = await latestEntry(ctx, format, before);
      assert.equal(entry.completed, true, format);
      assert.deepEqual(entry.claim_ids, [verified], format);
    }
  });

  test('the printable sheet is logged once it has been sent', async () => {
    const before = await lastId(ctx);
    assert.equal((await client.get(`/reports/${reportId}/sheet`)).status, 200);
    const entry = await latestEntry(ctx, 'html', before);
    assert.equal(entry.completed, true);
    assert.deepEqual(entry.claim_ids, [verified]);
  });

  test('when the log cannot be written, the download still arrives and the failure is in the app log', async () => {
    const before = ctx.logs.length;
    await ctx.db.raw('ALTER TABLE export_log RENAME TO export_log_away');
    try {
      const res = await client.get(`/reports/${reportId}/sheet.csv`);
      assert.equal(res.status, 200);
      assert.match(res.text, /The bridge opened in 2019\./);
      const failure = await eventually(async () => ctx.logs.slice(before).find((l) => l.event === 'export_log_failed'), { what: 'the failure in the app log' });
      assert.equal(failure.level, 50);
      assert.equal(failure.format, 'csv');
      assert.equal(failure.completed, true);
    } finally {
      await ctx.db.raw('ALTER TABLE export_log_away RENAME TO export_log');
    }
    assert.deepEqual(ctx.logs.slice(before).filter((l) => l.msg === 'error after the response started'), [], 'nothing was thrown after the response');
  });

  test('a download the client breaks off is logged as not completed, with the claims it was sent', async () => {
    const reviewer = await makeUser(ctx.db, { role: 'reviewer' });
    const bigReport = await makeReport(ctx.db, editor, { title: 'A long report' });
    // About 4 KB a row in the CSV: 6,000 rows are far more than the sockets on both sides hold.
    await manyVerifiedClaims(ctx, bigReport, editor, reviewer, 6000);
    const order = (await ctx.db('claims').where({ report_id: bigReport }).orderBy([{ column: 'quote_start' }, { column: 'id' }]).pluck('id')) as number[];
    const server: Server = ctx.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      const cookie = await sessionCookie(base, editor.email, TEST_PASSWORD);
      const before = await lastId(ctx);
      await new Promise<void>((resolve, reject) => {
        const req = get(`${base}/reports/${bigReport}/sheet.csv`, { headers: { Cookie: cookie } }, (res) => {
          assert.equal(res.statusCode, 200);
          // Read a little, then stop reading, as a person who cancels the download would.
          res.once('data', () => {
            res.pause();
            setTimeout(() => {
              req.destroy();
              resolve();
            }, 300);
          });
        });
        req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' ? undefined : reject(err)));
      });
      const entry = await latestEntry(ctx, 'csv', before);
      assert.equal(entry.completed, false);
      const sent = entry.claim_ids as number[];
      assert.ok(sent.length > 0 && sent.length < order.length, `${sent.length} of ${order.length} claims logged as sent`);
      assert.deepEqual(sent, order.slice(0, sent.length), 'the claims sent are the first ones of the sheet, in its order');
      assert.equal(entry.row_count, sent.length);
      const page = await client.get(`/claims/${sent[0]}`);
      assert.equal(page.status, 200);
      assert.match(page.text, /started downloading a claim sheet \(CSV\) that did not finish/);
      assert.doesNotMatch(page.text, /exported it in a claim sheet/);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
