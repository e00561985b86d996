import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { CUT_NOTES, MAX_CELL_LENGTH, fitCell } from '../../server/exports/columns.ts';
import { linkLibrarySource } from '../../server/sources/evidence.commands.ts';
import { transitionClaim } from '../../server/review/transitions.ts';
import { createTestApp, type TestContext } from '../support/app.ts';
import { arrayBufferOf, binary, exportsSettled } from './support.ts';
import { Client } from '../support/client.ts';
import { makeClaim, makeDesk, makeReport, makeSource } from '../support/factories.ts';

describe('a cell never exceeds what a spreadsheet holds', () => {
  const note = CUT_NOTES.xlsx;
  test('text within the limit is left as it is', () => {
    const text = 'x'.repeat(MAX_CELL_LENGTH);
    assert.equal(fitCell(text, note), text);
  });
  test('longer text is cut at its last whole line and says so', () => {
    const lines = Array.from({ length: 9 }, (_, i) => `${i}: ${'y'.repeat(5000)}`);
    const cell = fitCell(lines.join('\n'), note);
    assert.ok(cell.length <= MAX_CELL_LENGTH, `${cell.length} characters`);
    assert.ok(cell.endsWith(`\n${note}`));
    assert.deepEqual(cell.split('\n').slice(0, -1), lines.slice(0, 6), 'whole lines kept, none cut in the middle');
  });
  test('one long line is cut at the limit, never in the middle of a surrogate pair', () => {
    const emoji = '😀'.repeat(20_000);
    const cell = fitCell(emoji, note);
    assert.ok(cell.length <= MAX_CELL_LENGTH);
    assert.ok(cell.endsWith(note));
    assert.doesNotMatch(cell, /[\ud800-\udbff](?![\udc00-\udfff])/, 'no lone high surrogate');
  });
});

describe('exports of a claim with more evidence text than a cell holds', () => {
  let ctx: TestContext;
  let client: Client;
  let reportId: number;
  const excerpts = Array.from({ length: 7 }, (_, i) => `Excerpt ${i + 1}. ${'The records show the bridge opened in 2019. '.repeat(120).slice(0, 4980)}`);
  before(async () => {
    ctx = await createTestApp();
    const { editor, reviewer } = await makeDesk(ctx.db, ['editor', 'reviewer']);
    client = await Client.signedIn(ctx.app, editor);
    reportId = await makeReport(ctx.db, editor);
    const claimId = await makeClaim(ctx.db, editor, reportId);
    for (const excerpt of excerpts) {
      const sourceId = await makeSource(ctx.db, editor);
      await linkLibrarySource(ctx.db, editor, claimId, { sourceId, relation: 'supports', credibility: 2, excerpt });
    }
    const version = async () => ((await ctx.db('claims').where({ id: claimId }).first('version')) as { version: number }).version;
    await transitionClaim(ctx.db, { actor: editor, claimId, action: 'submit', version: await version(), comment: null, confidence: null });
    await transitionClaim(ctx.db, { actor: reviewer, claimId, action: 'verify', version: await version(), comment: 'Seven sources agree.', confidence: 'high' });
  });
  after(async () => {
    await exportsSettled(ctx.db);
    await ctx.close();
  });

  const assertCut = (cell: string, note: string) => {
    assert.ok(cell.length <= MAX_CELL_LENGTH, `the cell has ${cell.length} characters`);
    assert.ok(cell.endsWith(`\n${note}`), 'the cut is marked');
    const kept = cell.split('\n').slice(0, -1);
    assert.ok(kept.length >= 1 && kept.length < excerpts.length);
    kept.forEach((line, i) => assert.ok(line.endsWith(`${excerpts[i]}”`), `source ${i + 1} is whole`));
  };

  test('XLSX: the supporting sources cell is cut before 32,767 characters; the Evidence sheet has every excerpt in full', async () => {
    const res = await binary(client.get(`/reports/${reportId}/sheet.xlsx`));
    assert.equal(res.status, 200);
    const body = res.body as Buffer;
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(arrayBufferOf(body));
    const claims = workbook.getWorksheet('Claims')!;
    const header = (claims.getRow(1).values as string[]).indexOf('Supporting sources');
    assertCut(String(claims.getRow(2).getCell(header).value), CUT_NOTES.xlsx);
    const evidence = workbook.getWorksheet('Evidence')!;
    const column = (evidence.getRow(1).values as string[]).indexOf('Excerpt');
    const full = [];
    for (let r = 2; r <= evidence.rowCount; r++) full.push(String(evidence.getRow(r).getCell(column).value));
    assert.deepEqual(full.sort(), [...excerpts].sort());
  });

  test('CSV: the same cut, pointing at the evidence CSV', async () => {
    const rows = parse((await client.get(`/reports/${reportId}/sheet.csv`)).text, { columns: true }) as Record<string, string>[];
    assert.equal(rows.length, 1);
    assertCut(rows[0]!['Supporting sources']!, CUT_NOTES.csv);
    const evidence = parse((await client.get(`/reports/${reportId}/sheet.evidence.csv`)).text, { columns: true }) as Record<string, string>[];
    assert.deepEqual(evidence.map((e) => e.Excerpt).sort(), [...excerpts].sort());
  });
});
