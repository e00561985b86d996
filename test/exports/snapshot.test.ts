import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import type { User } from '../../server/accounts/users.repo.ts';
import { createTestApp, type TestContext } from '../support/app.ts';
import { Client } from '../support/client.ts';
import { makeClaimIn, makeReport, makeSource, makeUser } from '../support/factories.ts';
import { arrayBufferOf, binary, exportsSettled } from './support.ts';
import { eventually } from '../support/eventually.ts';

describe('the two sheets of an XLSX agree', () => {
  let ctx: TestContext;
  let editor: User;
  let client: Client;
  let reportId: number;
  let claimId: number;
  before(async () => {
    ctx = await createTestApp();
    editor = await makeUser(ctx.db);
    const reviewer = await makeUser(ctx.db, { role: 'reviewer' });
    client = await Client.signedIn(ctx.app, editor);
    reportId = await makeReport(ctx.db, editor);
    claimId = await makeClaimIn(ctx.db, 'verified', { author: editor, reviewer, reportId });
    await makeClaimIn(ctx.db, 'verified', { author: editor, reviewer, reportId });
  });
  after(async () => {
    await exportsSettled(ctx.db);
    await ctx.close();
  });

  /** Whether a session of this test's database waits for a lock on `table` in `mode`. */
  const waitsFor = async (table: string, mode: string) => {
    const { rows } = await ctx.db.raw<{ rows: { n: number }[] }>(`SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted AND relation = ?::regclass AND mode = ?`, [table, mode]);
    return rows[0]!.n > 0;
  };

  test('a source linked while the export runs is in neither sheet, not in one of them', async () => {
    const sourceId = await makeSource(ctx.db, editor, { title: 'Linked while the export ran' });
    // The database's own locks put the steps in order, whatever the timing:
    // 1. the export's first query waits for `sources`, held here;
    const holdSources = await ctx.db.transaction();
    await holdSources.raw('LOCK TABLE sources IN ACCESS EXCLUSIVE MODE');
    const download = binary(client.get(`/reports/${reportId}/sheet.xlsx`)).then((res) => res);
    await eventually(() => waitsFor('sources', 'AccessShareLock'), { what: 'the export to wait for sources' });
    // 2. a change that first needs `reports` to itself queues behind the export, which holds it;
    const change = ctx.db.transaction(async (trx) => {
      await trx.raw('LOCK TABLE reports IN ACCESS EXCLUSIVE MODE');
      await trx('evidence_links').insert({ claim_id: claimId, source_id: sourceId, relation: 'supports', credibility: 1, excerpt: 'Added meanwhile.', created_by: editor.id });
    });
    await eventually(() => waitsFor('reports', 'AccessExclusiveLock'), { what: 'the change to wait for reports' });
    // 3. the export goes on. Read in one snapshot, it keeps `reports` until its last query and the
    //    change comes after it; read in two, the change slips in between the sheets.
    await holdSources.commit();
    const res = await download;
    await change;
    assert.equal(res.status, 200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(arrayBufferOf(res.body as Buffer));
    const claims = workbook.getWorksheet('Claims')!;
    const supporting = (claims.getRow(1).values as string[]).indexOf('Supporting sources');
    const claimRow = [...Array(claims.rowCount - 1).keys()].map((i) => claims.getRow(i + 2)).find((r) => Number(r.getCell(1).value) === claimId)!;
    const inClaims = String(claimRow.getCell(supporting).value).includes('Linked while the export ran');
    const evidence = workbook.getWorksheet('Evidence')!;
    const titles: string[] = [];
    for (let r = 2; r <= evidence.rowCount; r++) if (Number(evidence.getRow(r).getCell(1).value) === claimId) titles.push(String(evidence.getRow(r).getCell(3).value));
    const inEvidence = titles.includes('Linked while the export ran');
    assert.equal(inEvidence, inClaims, `the Claims sheet ${inClaims ? 'has' : 'lacks'} the new source but the Evidence sheet ${inEvidence ? 'has' : 'lacks'} it`);
    assert.equal(inClaims, false, 'the change came after the export');
    assert.equal(titles.length, 1, 'the claim’s one source at the time of the export');
  });
});
