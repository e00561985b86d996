import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import type { User } from '../../server/accounts/users.repo.ts';
import { createTestApp, type TestContext } from '../support/app.ts';
import { Client } from '../support/client.ts';
import { makeClaim, makeDesk, makeEvidence, makeReport, makeSource } from '../support/factories.ts';
import { transitionClaim } from '../../server/review/transitions.ts';
import { arrayBufferOf, binary, exportsSettled } from './support.ts';

/**
 * The Excel sheet read back as a spreadsheet reads it: what people type is
 * the text they see, numbers and dates sort and filter as such, and the
 * header says what each column is and offers its filter.
 */
describe('the Excel sheet, as a spreadsheet reads it', () => {
  let ctx: TestContext;
  let client: Client;
  let people: Record<'editor' | 'reviewer', User>;
  let claimId: number;
  let sheets: { claims: ExcelJS.Worksheet; evidence: ExcelJS.Worksheet };
  const STATEMENT = '-5% growth in third-quarter exports';
  const CLAIMANT = '+44 20 7946 0000';

  before(async () => {
    ctx = await createTestApp();
    people = await makeDesk(ctx.db, ['editor', 'reviewer']);
    const { editor, reviewer } = people;
    const reportId = await makeReport(ctx.db, editor, { title: 'Exports report', body: 'The ministry said exports showed -5% growth in the third quarter.' });
    claimId = await makeClaim(ctx.db, editor, reportId, { quote: 'exports showed -5% growth in the third quarter', statement: STATEMENT, claimant: CLAIMANT });
    await makeEvidence(ctx.db, editor, claimId, { relation: 'supports', credibility: 2, sourceId: await makeSource(ctx.db, editor, { title: 'Trade office bulletin' }) });
    await makeEvidence(ctx.db, editor, claimId, { relation: 'supports', credibility: 1, sourceId: await makeSource(ctx.db, editor, { title: '=Customs data' }) });
    const version = async () => ((await ctx.db('claims').where({ id: claimId }).first('version')) as { version: number }).version;
    await transitionClaim(ctx.db, { actor: editor, claimId, action: 'submit', version: await version(), comment: null, confidence: null });
    await transitionClaim(ctx.db, { actor: reviewer, claimId, action: 'verify', version: await version(), comment: 'Both bulletins agree.', confidence: 'high' });
    client = await Client.signedIn(ctx.app, editor);
    const res = await binary(client.get(`/reports/${reportId}/sheet.xlsx`));
    assert.equal(res.status, 200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(arrayBufferOf(res.body as Buffer));
    sheets = { claims: workbook.getWorksheet('Claims')!, evidence: workbook.getWorksheet('Evidence')! };
  });
  after(async () => {
    await exportsSettled(ctx.db);
    await ctx.close();
  });

  const column = (sheet: ExcelJS.Worksheet, header: string) => {
    const headers = (sheet.getRow(1).values as unknown[]).map(String);
    const at = headers.indexOf(header);
    assert.ok(at > 0, `a ${header} column`);
    return at;
  };
  const cell = (sheet: ExcelJS.Worksheet, header: string, row = 2) => sheet.getRow(row).getCell(column(sheet, header));

  test('text is exactly as typed: no apostrophe in front of a leading minus, plus or equals sign', () => {
    assert.equal(cell(sheets.claims, 'Statement').value, STATEMENT);
    assert.equal(cell(sheets.claims, 'Claimant').value, CLAIMANT);
    assert.equal(cell(sheets.claims, 'Statement').type, ExcelJS.ValueType.String);
    const titles = [2, 3].map((r) => cell(sheets.evidence, 'Source', r).value).sort();
    assert.deepEqual(titles, ['=Customs data', 'Trade office bulletin']);
    for (const r of [2, 3]) assert.equal(cell(sheets.evidence, 'Source', r).type, ExcelJS.ValueType.String, 'never a formula');
  });

  test('claim ids and credibility are numbers, the decision date is a date shown as a day', async () => {
    assert.equal(cell(sheets.claims, 'Claim ID').value, claimId);
    assert.equal(cell(sheets.claims, 'Claim ID').type, ExcelJS.ValueType.Number);
    const decided = cell(sheets.claims, 'Decided');
    assert.equal(decided.type, ExcelJS.ValueType.Date);
    const row = (await ctx.db('claims').where({ id: claimId }).first('decided_at')) as { decided_at: Date };
    assert.equal((decided.value as Date).toISOString().slice(0, 10), row.decided_at.toISOString().slice(0, 10));
    assert.equal(decided.numFmt, 'yyyy-mm-dd');
    assert.deepEqual([2, 3].map((r) => cell(sheets.evidence, 'Credibility', r).value).sort(), [1, 2]);
    assert.equal(cell(sheets.evidence, 'Claim ID').value, claimId);
  });

  test('the header is bold and offers a filter on every column; multi-line cells wrap', () => {
    for (const sheet of [sheets.claims, sheets.evidence]) {
      assert.equal(sheet.getRow(1).getCell(1).font?.bold, true, `${sheet.name}: bold header`);
      const last = (sheet.getRow(1).values as unknown[]).length - 1;
      assert.equal(String(sheet.autoFilter), `A1:${String.fromCharCode(64 + last)}1`, `${sheet.name}: a filter over its ${last} columns`);
    }
    const sources = cell(sheets.claims, 'Supporting sources');
    assert.equal(String(sources.value).split('\n').length, 2, 'one source per line');
    assert.equal(sources.alignment?.wrapText, true);
    assert.notEqual(cell(sheets.claims, 'Claim ID').alignment?.wrapText, true, 'a number does not wrap');
  });
});
