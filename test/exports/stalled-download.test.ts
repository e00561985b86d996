import assert from 'node:assert/strict';
import { get, type IncomingMessage } from 'node:http';
import { after, before, describe, test } from 'node:test';
import type { User } from '../../server/accounts/users.repo.ts';
import { createTestApp, type TestContext } from '../support/app.ts';
import { listen } from '../support/browser.ts';
import { Client } from '../support/client.ts';
import { submitForm } from '../support/process.ts';
import { makeClaimIn, makeUser, TEST_PASSWORD, withDecisionGuardsOff } from '../support/factories.ts';

const COPIES = 1_500; // 30 decided claims x 1,500: a CSV of tens of megabytes, far more than the sockets buffer

async function timings(client: Client, paths: string[], rounds: number): Promise<number[]> {
  const ms: number[] = [];
  for (let i = 0; i < rounds; i++) {
    for (const p of paths) {
      const started = performance.now();
      const res = await client.get(p);
      ms.push(performance.now() - started);
      assert.equal(res.status, 200, `${p} answered ${res.status}`);
    }
  }
  return ms.sort((a, b) => a - b);
}

const median = (xs: number[]) => xs[Math.floor(xs.length / 2)]!;

describe('a download whose reader stalls', () => {
  let ctx: TestContext;
  let editor: User;
  let reviewer: User;
  before(async () => {
    ctx = await createTestApp();
    editor = await makeUser(ctx.db);
    reviewer = await makeUser(ctx.db, { role: 'reviewer' });
    for (let i = 0; i < 30; i++) await makeClaimIn(ctx.db, i % 3 === 0 ? 'refuted' : 'verified', { author: editor, reviewer });
    // Many more decided claims, copied in SQL: the export reads them as it reads any.
    const columns = ((await ctx.db.raw("SELECT string_agg(quote_ident(column_name), ', ') AS c FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'claims' AND column_name <> 'id' AND is_generated = 'NEVER'")) as { rows: { c: string }[] }).rows[0]!.c;
    await withDecisionGuardsOff(ctx.db, (trx) => trx.raw(`INSERT INTO claims (${columns}) SELECT ${columns} FROM claims, generate_series(1, ${COPIES - 1})`));
  });
  after(() => ctx.close());

  test('holds one database connection, and another person’s pages answer as usual meanwhile', async () => {
    const server = await listen(ctx.app);
    const other = await Client.signedIn(ctx.app, reviewer);
    const pages = ['/claims', '/review', '/'];
    let stalled: IncomingMessage | undefined;
    try {
      const before = await timings(other, pages, 5);
      const { cookie } = await submitForm(server.url, '/login', { email: editor.email, password: TEST_PASSWORD });
      let received = 0;
      stalled = await new Promise<IncomingMessage>((resolve, reject) => {
        get(`${server.url}/claims/sheet.csv?scope=decided`, { headers: { cookie } }, (res) => {
          res.once('data', (chunk: Buffer) => {
            received += chunk.length;
            res.pause(); // and never read again
            resolve(res);
          });
        }).on('error', reject);
      });
      assert.equal(stalled.statusCode, 200);
      // Let the server fill the socket buffers until the export waits on the reader.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const pool = ctx.appDb.client.pool as { numUsed(): number };
      assert.ok(pool.numUsed() >= 1, 'the stalled export still holds its connection');

      const during = await timings(other, pages, 5);
      assert.ok(pool.numUsed() >= 1, 'and still holds it after the other requests');
      console.log(
        `stalled download: ${during.length} page requests answered while it stalled (after ${received} bytes); median ${median(before).toFixed(0)} ms before, ${median(during).toFixed(0)} ms during, slowest ${during.at(-1)!.toFixed(0)} ms`,
      );
    } finally {
      stalled?.destroy();
      await server.close();
    }
  });
});
