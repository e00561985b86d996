import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import request from 'supertest';
import type { User } from '../../server/accounts/users.repo.ts';
import { createTestApp, type TestContext } from '../support/app.ts';
import { Client } from '../support/client.ts';
import { makeClaim, makeClaimIn, makeDesk, makeEvidence, makeReport, makeSource, makeUser } from '../support/factories.ts';
import { assertNoInjectedMarkup } from '../support/html.ts';
import { arrayBufferOf, binary, exportsSettled } from './support.ts';
import { eventually } from '../support/eventually.ts';

const FORMULAS = ['=HYPERLINK("http://x","y")', '+1+1', '-2', '@SUM(A1)', '\t=1'];

describe('claim sheet exports', () => {
  let ctx: TestContext;
  let editor: User;
  let reviewer: User;
  let client: Client;
  let reportId: number;
  let verified: number[];
  let refuted: number;
  let draft: number;
  before(async () => {
    ctx = await createTestApp({ ORG_NAME: 'Test Desk', ORG_URL: 'https://desk.example/' });
    editor = await makeUser(ctx.db);
    reviewer = await makeUser(ctx.db, { role: 'reviewer', displayName: 'Rita Reviewer' });
    client = await Client.signedIn(ctx.app, editor);
    reportId = await makeReport(ctx.db, editor, { title: 'Bridge report: “opened” in 2019?', url: 'https://news.example/bridge' });
    verified = [await makeClaimIn(ctx.db, 'verified', { author: editor, reviewer, reportId }), await makeClaimIn(ctx.db, 'verified', { author: editor, reviewer, reportId })];
    refuted = await makeClaimIn(ctx.db, 'refuted', { author: editor, reviewer, reportId });
    draft = await makeClaim(ctx.db, editor, reportId);
  });
  after(async () => {
    await exportsSettled(ctx.db);
    await ctx.close();
  });

  const dbClaim = (id: number) => ctx.db('claims').where({ id }).first();

  test('CSV: RFC 4180, one row per verified claim with its evidence; not-verified claims are not in the default sheet', async () => {
    const res = await client.get(`/reports/${reportId}/sheet.csv`);
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type']!, /^text\/csv; charset=utf-8/);
    assert.match(res.headers['content-disposition']!, /^attachment; filename="?factdesk-bridge-report-opened-in-2019-\d{4}-\d{2}-\d{2}\.csv"?$/);
    assert.match(res.text, /\r\n/, 'CRLF line ends');
    const rows = parse(res.text, { columns: true }) as Record<string, string>[];
    assert.deepEqual(rows.map((r) => Number(r['Claim ID'])).sort(), [...verified].sort());
    for (const row of rows) {
      const claim = await dbClaim(Number(row['Claim ID']));
      assert.equal(row.Statement, claim.statement);
      assert.equal(row.Quote, claim.quote);
      assert.equal(row.Status, 'Verified');
      assert.equal(row.Confidence, 'High');
      assert.equal(row.Reviewer, 'Rita Reviewer');
      assert.equal(row['Claim URL'], `http://factdesk.test/claims/${claim.id}`);
      assert.equal(row['Report URL'], 'https://news.example/bridge');
      assert.match(row['Supporting sources']!, /, B2: “An excerpt\.”/);
    }
    assert.ok(!rows.some((r) => Number(r['Claim ID']) === draft || Number(r['Claim ID']) === refuted));
  });

  test('scope=decided adds refuted and unverifiable claims; scope=all is for JSON only', async () => {
    const rows = parse((await client.get(`/reports/${reportId}/sheet.csv?scope=decided`)).text, { columns: true }) as Record<string, string>[];
    assert.deepEqual(rows.map((r) => Number(r['Claim ID'])).sort(), [...verified, refuted].sort());
    assert.match(rows.find((r) => Number(r['Claim ID']) === refuted)!['Contradicting sources']!, /B2/);
    assert.equal((await client.get(`/reports/${reportId}/sheet.csv?scope=all`)).status, 400);
    const json = JSON.parse((await client.get(`/reports/${reportId}/sheet.json?scope=all`)).text);
    assert.ok(json.claims.some((c: { id: number }) => c.id === draft));
  });

  test('the CSV for Excel starts with a BOM; the evidence CSV has one row per link, keyed by claim id', async () => {
    const bom = await binary(client.get(`/reports/${reportId}/sheet.csv?bom=1`));
    assert.deepEqual([...(bom.body as Buffer).subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    const evidence = parse((await client.get(`/reports/${reportId}/sheet.evidence.csv`)).text, { columns: true }) as Record<string, string>[];
    const links = await ctx.db('evidence_links').whereIn('claim_id', verified);
    assert.equal(evidence.length, links.length);
    assert.ok(evidence.every((e) => verified.includes(Number(e['Claim ID'])) && e.Relation === 'supports'));
  });

  test('XLSX: two sheets read back with exceljs, a frozen header, the same claims', async () => {
    const res = await binary(client.get(`/reports/${reportId}/sheet.xlsx`));
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type']!, /spreadsheetml/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(arrayBufferOf(res.body as Buffer));
    const claims = workbook.getWorksheet('Claims')!;
    assert.equal(claims.getRow(1).getCell(1).value, 'Claim ID');
    assert.equal(claims.views[0]?.state, 'frozen');
    const ids = [];
    for (let r = 2; r <= claims.rowCount; r++) ids.push(Number(claims.getRow(r).getCell(1).value));
    assert.deepEqual(ids.sort(), [...verified].sort());
    assert.ok(workbook.getWorksheet('Evidence')!.rowCount >= 3);
  });

  test('JSON parses and matches the database', async () => {
    const res = await client.get(`/reports/${reportId}/sheet.json`);
    assert.match(res.headers['content-type']!, /application\/json/);
    const doc = JSON.parse(res.text);
    assert.equal(doc.report.id, reportId);
    assert.equal(doc.claims.length, 2);
    for (const c of doc.claims) {
      const row = await dbClaim(c.id);
      assert.equal(c.statement, row.statement);
      assert.equal(c.evidence[0].relation, 'supports');
    }
  });

  test('every export is logged: who, format and which claims; the claim page shows it', async () => {
    const before = Number((await ctx.db('export_log').max<{ max: number | null }[]>('id as max'))[0]!.max ?? 0);
    await client.get(`/reports/${reportId}/sheet.csv`);
    const entry = await eventually(() => ctx.db('export_log').where({ format: 'csv', report_id: reportId }).where('id', '>', before).first(), { what: 'the export log entry' });
    assert.equal(entry.actor_id, editor.id);
    assert.deepEqual([...entry.claim_ids].sort(), [...verified].sort());
    assert.equal(entry.completed, true);
    assert.match((await client.get(`/claims/${verified[0]}`)).text, /exported it in (a claim sheet \(CSV\)|claim sheets \d+ times \([^)]*CSV)/);
  });

  test('the printable sheet shows each verified claim in its own block, with downloads', async () => {
    const res = await client.get(`/reports/${reportId}/sheet`);
    assert.equal(res.status, 200);
    assert.equal((res.text.match(/<article class="sheet-claim"/g) ?? []).length, 2);
    assert.match(res.text, /Prepared .* by /);
    assert.match(res.text, /href="\/reports\/\d+\/sheet\.xlsx"/);
  });

  test('the sheet names where each claim appeared (its origin) before the sources for and against it', async () => {
    const originated = await makeClaimIn(ctx.db, 'verified', { author: editor, reviewer, reportId });
    const sourceId = await makeSource(ctx.db, editor, { title: 'The wire story', publisher: 'Wire Agency', reliability: 'A' });
    await ctx.db('evidence_links').insert({ claim_id: originated, source_id: sourceId, relation: 'origin', credibility: 1, created_by: editor.id });
    const page = await client.get(`/reports/${reportId}/sheet`);
    const block = new RegExp(`<article class="sheet-claim" aria-labelledby="sheet-claim-${originated}">[\\s\\S]*?</article>`).exec(page.text)?.[0] ?? '';
    assert.match(block, /<h3>Origin: where the claim appeared<\/h3>[\s\S]*The wire story[\s\S]*<h3>Supporting sources<\/h3>/);
    const rows = parse((await client.get(`/reports/${reportId}/sheet.csv`)).text, { columns: true }) as Record<string, string>[];
    assert.match(rows.find((r) => Number(r['Claim ID']) === originated)!.Origin!, /The wire story \(Wire Agency\).*A1/);
  });

  test('the claims list export uses the same filters', async () => {
    const res = await client.get(`/claims/sheet.csv?report=${reportId}&scope=decided&status=refuted`);
    const rows = parse(res.text, { columns: true }) as Record<string, string>[];
    assert.deepEqual(rows.map((r) => Number(r['Claim ID'])), [refuted]);
    assert.equal((await client.get('/claims/sheet.csv?status=bogus')).status, 400);
  });

  test('signed out: 302 to sign in (401 for JSON); an unknown report: 404', async () => {
    const anon = await request(ctx.app).get(`/reports/${reportId}/sheet.csv`);
    assert.equal(anon.status, 302);
    assert.equal(anon.headers.location, '/login');
    assert.equal((await request(ctx.app).get(`/reports/${reportId}/sheet.json`).set('Accept', 'application/json')).status, 401);
    assert.equal((await client.get('/reports/999999/sheet.csv')).status, 404);
    assert.equal((await client.get('/reports/999999/sheet')).status, 404);
  });
});

describe('formula injection in exports', () => {
  let ctx: TestContext;
  let client: Client;
  let claimIds: number[];
  before(async () => {
    ctx = await createTestApp();
    const { editor, reviewer } = await makeDesk(ctx.db, ['editor', 'reviewer']);
    client = await Client.signedIn(ctx.app, editor);
    const body = FORMULAS.map((f, i) => `Sentence ${i}: ${f} ends here.`).join('\n\n');
    const reportId = await makeReport(ctx.db, editor, { body, title: '=cmd|\' /C calc\'!A0' });
    claimIds = [];
    for (const [i, f] of FORMULAS.entries()) {
      const id = await makeClaim(ctx.db, editor, reportId, { quote: `Sentence ${i}: ${f} ends here.`, statement: f, claimant: f });
      const sourceId = await makeSource(ctx.db, editor, { title: f, publisher: f, url: `https://formula.example/${i}` });
      await makeEvidence(ctx.db, editor, id, { sourceId, relation: 'supports' });
      const { transitionClaim } = await import('../../server/review/transitions.ts');
      const v = async () => (await ctx.db('claims').where({ id }).first()).version as number;
      await transitionClaim(ctx.db, { actor: editor, claimId: id, action: 'submit', version: await v(), comment: null, confidence: null });
      await transitionClaim(ctx.db, { actor: reviewer, claimId: id, action: 'verify', version: await v(), comment: f, confidence: 'high' });
      claimIds.push(id);
    }
  });
  after(async () => {
    await exportsSettled(ctx.db);
    await ctx.close();
  });

  test('statement, claimant and source title cells are neutralised in the CSV', async () => {
    const rows = parse((await client.get('/claims/sheet.csv')).text, { columns: true }) as Record<string, string>[];
    assert.equal(rows.length, FORMULAS.length);
    for (const row of rows) {
      for (const column of ['Statement', 'Claimant', 'Rationale', 'Supporting sources']) {
        assert.match(row[column]!, /^'[=+\-@\t]/, `${column}: ${JSON.stringify(row[column])}`);
      }
    }
    const evidence = parse((await client.get('/claims/sheet.evidence.csv')).text, { columns: true }) as Record<string, string>[];
    for (const e of evidence) for (const column of ['Source', 'Publisher']) assert.match(e[column]!, /^'/, column);
  });

  test('the XLSX holds them as text exactly as typed: no <f> element anywhere, no apostrophe added', async () => {
    const res = await binary(client.get('/claims/sheet.xlsx'));
    const zip = await JSZip.loadAsync(res.body as Buffer);
    const sheets = Object.keys(zip.files).filter((n) => n.startsWith('xl/worksheets/') && n.endsWith('.xml'));
    assert.equal(sheets.length, 2);
    for (const name of sheets) {
      const xml = await zip.file(name)!.async('string');
      assert.doesNotMatch(xml, /<f[ >]/, `${name} has a formula element`);
      assert.doesNotMatch(xml, /<hyperlink/, `${name} has a hyperlink`);
    }
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(arrayBufferOf(res.body as Buffer));
    const sheet = workbook.getWorksheet('Claims')!;
    const statements: string[] = [];
    for (let r = 2; r <= sheet.rowCount; r++) {
      const cell = sheet.getRow(r).getCell(5);
      assert.equal(cell.type, ExcelJS.ValueType.String, `row ${r} is a text cell, not a formula`);
      statements.push(String(cell.value));
    }
    assert.deepEqual(statements.sort(), [...FORMULAS].sort(), 'each statement as it was typed');
  });

  test('a hostile report title makes a safe file name', async () => {
    const report = await ctx.db('reports').first('id');
    const res = await client.get(`/reports/${report.id}/sheet.csv?scope=verified`);
    assert.match(res.headers['content-disposition']!, /^attachment; filename="?factdesk-cmd-c-calc-a0-\d{4}-\d{2}-\d{2}\.csv"?$/);
  });

  test('the printable sheet escapes them', async () => {
    const page = await client.get('/claims/sheet');
    assertNoInjectedMarkup(page.text, '/claims/sheet');
    assert.equal((page.text.match(/<article class="sheet-claim"/g) ?? []).length, FORMULAS.length);
  });
});

describe('exports under concurrency', () => {
  test('50 exports at once finish, each with every row, and never share a connection mid-query', async () => {
    const ctx = await createTestApp();
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      const { editor, reviewer } = await makeDesk(ctx.db, ['editor', 'reviewer']);
      const reportId = await makeReport(ctx.db, editor);
      const ids = [];
      for (let i = 0; i < 3; i++) ids.push(await makeClaimIn(ctx.db, 'verified', { author: editor, reviewer, reportId }));
      const client = await Client.signedIn(ctx.app, editor);
      const results = await Promise.all(Array.from({ length: 50 }, () => client.get('/claims/sheet.csv')));
      for (const res of results) {
        assert.equal(res.status, 200);
        assert.equal((parse(res.text, { columns: true }) as unknown[]).length, ids.length);
      }
      assert.deepEqual(warnings.filter((w) => /already executing a query/.test(w)), []);
      const logged = async () => Number((await ctx.db('export_log').count<{ n: number }[]>('* as n'))[0]!.n);
      await eventually(async () => (await logged()) >= 50, { what: 'every export to be logged' });
      assert.equal(await logged(), 50, 'every export is logged, once');
    } finally {
      process.off('warning', onWarning);
      await exportsSettled(ctx.db);
      await ctx.close();
    }
  });
});
