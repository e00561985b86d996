// How much memory the claim sheet downloads take on the server:
// `BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx test/bench/export-memory.ts`
//
//   BENCH_DATABASE_URL   a PostgreSQL server; a database factdesk_expmem_<timestamp> is created there and dropped at the end
//   EXPORT_CLAIMS        verified claims to export (100,000), each with EXPORT_LINKS supporting links (2)
//   EXPORT_REPEATS       how many times each download runs (2): the later runs show what the first one left behind
//   EXPORT_DATABASE      reuse this database of an earlier run (EXPORT_KEEP=1 keeps it) instead of generating one
//   EXPORT_NODE_OPTIONS  NODE_OPTIONS for the Factdesk process only (e.g. --trace-gc)
//   EXPORT_ONLY          only the downloads whose label starts with one of these (comma-separated: "XLSX,CSV")
//
// Factdesk runs as its own process (server/main.ts, NODE_ENV=production); each
// download is read as fast as it comes (one XLSX also by a slow client, where
// back-pressure matters most) while the server's VmRSS is sampled every 50 ms.
// Growth is the peak during a download minus the value just before it.
import { randomBytes } from 'node:crypto';
import knex from 'knex';
import ExcelJS from 'exceljs';
import { Readable } from 'node:stream';
import { hashPassword } from '../../server/accounts/passwords.ts';
import { openDatabase } from '../../server/platform/database.ts';
import { migrateToLatest } from '../../server/platform/migrate.ts';
import { insertRows, restartIdentity, withDecisionGuardsOff, withTransaction, arrayLiteral, type Cell } from './bulk.ts';
import { PROXY_HEADERS, signIn } from './measure.ts';
import { freePort, rssOf, startChild, type Child } from './processes.ts';

const SERVER_URL = process.env.BENCH_DATABASE_URL;
const CLAIMS = Number(process.env.EXPORT_CLAIMS || 100_000);
const LINKS = Number(process.env.EXPORT_LINKS || 2);
const REPEATS = Number(process.env.EXPORT_REPEATS || 2);
const LIMIT_MB = 64;
const PASSWORD = 'factdesk export memory bench, not for real use';
const REVIEWER = 'reviewer@expmem.test';
const started = Date.now();
const log = (line: string) => process.stdout.write(`[${String(Math.round((Date.now() - started) / 1000)).padStart(4)} s] ${line}\n`);

const WORDS = 'minister bridge opened budget council report figure percent million claimed official statement records showed housing transport election vote record increase decrease spending school hospital police unemployment inflation rate since year month week government opposition agency survey data published according'.split(' ');

/** A deterministic pseudo-random sentence of `n` words. */
function sentence(seed: number, n: number): string {
  let x = seed * 2654435761 + 1;
  const words: string[] = [];
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    words.push(i % 7 === 3 ? String(x % 10_000) : WORDS[x % WORDS.length]!);
  }
  const text = words.join(' ');
  return `${text[0]!.toUpperCase()}${text.slice(1)}.`;
}

/** Two accounts, one report holding every claim, one source per claim and link, every claim verified. */
async function generate(url: string): Promise<{ reviewer: string; reportId: number }> {
  const database = await openDatabase({ url, poolMax: 2 });
  const { db } = database;
  try {
    await migrateToLatest(db);
    const hash = await hashPassword(PASSWORD);
    const now = new Date().toISOString();
    const editor = 1;
    const reviewer = 2;
    const quotes = Array.from({ length: 500 }, (_, i) => sentence(i, 14));
    const offsets: number[] = [];
    let body = '';
    for (const q of quotes) {
      offsets.push(body.length);
      body += `${q} `;
    }
    await withTransaction(db, async (conn) => {
      await insertRows(conn, 'users', [['id', 'int'], ['email', 'text'], ['display_name', 'text'], ['password_hash', 'text'], ['role', 'text']], [
        [editor, 'editor@expmem.test', 'Eddie Editor', hash, 'editor'],
        [reviewer, REVIEWER, 'Rita Reviewer', hash, 'reviewer'],
      ], { overriding: true });
      await insertRows(conn, 'reports', [['id', 'int'], ['title', 'text'], ['outlet', 'text'], ['url', 'text'], ['published_on', 'date'], ['body', 'text'], ['imported_by', 'int']], [
        [1, 'Every claim of the memory test', 'The Daily Test', 'https://news.example/memory', '2026-11-20', body, editor],
      ], { overriding: true });
    });
    const CHUNK = 10_000;
    for (let from = 0; from < CLAIMS; from += CHUNK) {
      const claims: Cell[][] = [];
      const sources: Cell[][] = [];
      const links: Cell[][] = [];
      for (let i = from; i < Math.min(CLAIMS, from + CHUNK); i++) {
        const id = i + 1;
        const q = i % quotes.length;
        claims.push([
          id, 1, sentence(id, 18), quotes[q]!, offsets[q]!, offsets[q]! + quotes[q]!.length, `Claimant ${id % 300}`, 'factual', arrayLiteral(['budget', `t${id % 40}`]),
          'high', 'verified', 'Confirmed by the published records.', arrayLiteral([editor]), editor, now, now, reviewer, now, reviewer, now,
        ]);
        for (let k = 0; k < LINKS; k++) {
          const sid = i * LINKS + k + 1;
          sources.push([sid, 'web_page', sentence(sid + 7, 8), `https://source${sid % 97}.example/doc/${sid}`, `https://source${sid % 97}.example/doc/${sid}`, `Publisher ${sid % 97}`, 'ABC'[sid % 3]!, editor]);
          links.push([sid, id, sid, 'supports', sentence(sid + 11, 30), `p. ${sid % 40}`, 1 + (sid % 3), editor]);
        }
      }
      await withTransaction(db, (conn) => withDecisionGuardsOff(conn, async () => {
        await insertRows(conn, 'claims', [
          ['id', 'int'], ['report_id', 'int'], ['statement', 'text'], ['quote', 'text'], ['quote_start', 'int'], ['quote_end', 'int'], ['claimant', 'text'], ['kind', 'text'], ['tags', 'text[]'],
          ['confidence', 'text'], ['status', 'text'], ['rationale', 'text'], ['authors', 'int[]'], ['created_by', 'int'], ['created_at', 'timestamptz'], ['submitted_at', 'timestamptz'],
          ['status_changed_by', 'int'], ['status_changed_at', 'timestamptz'], ['decided_by', 'int'], ['decided_at', 'timestamptz'],
        ], claims, { overriding: true });
        await insertRows(conn, 'sources', [['id', 'int'], ['kind', 'text'], ['title', 'text'], ['url', 'text'], ['url_normalized', 'text'], ['publisher', 'text'], ['reliability', 'char'], ['created_by', 'int']], sources, { overriding: true });
        await insertRows(conn, 'evidence_links', [['id', 'int'], ['claim_id', 'int'], ['source_id', 'int'], ['relation', 'text'], ['excerpt', 'text'], ['locator', 'text'], ['credibility', 'smallint'], ['created_by', 'int']], links, { overriding: true });
      }));
      log(`claims ${Math.min(CLAIMS, from + CHUNK)}/${CLAIMS}`);
    }
    await withTransaction(db, async (conn) => {
      for (const table of ['users', 'reports', 'sources', 'claims', 'evidence_links']) await restartIdentity(conn, table);
    });
    await db.raw('VACUUM (ANALYZE)');
    return { reviewer: REVIEWER, reportId: 1 };
  } finally {
    await database.close();
  }
}

interface Measured {
  label: string;
  status: number;
  bytes: number;
  seconds: number;
  beforeMb: number;
  peakMb: number;
  growthMb: number;
  body?: Buffer;
}

const mb = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10;

/** Downloads `path`, sampling the server's VmRSS every 50 ms; a slow client reads at about `bytesPerSecond`. */
async function measure(server: Child, cookie: string, label: string, path: string, o: { bytesPerSecond?: number; keepBody?: boolean } = {}): Promise<Measured> {
  const before = rssOf(server.pid);
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, rssOf(server.pid))), 50);
  const t0 = performance.now();
  let bytes = 0;
  const chunks: Buffer[] = [];
  try {
    const res = await fetch(`${server.url}${path}`, { headers: { ...PROXY_HEADERS, Cookie: cookie } });
    if (!res.body) throw new Error(`no body from ${path}`);
    for await (const chunk of res.body) {
      bytes += chunk.byteLength;
      if (o.keepBody) chunks.push(Buffer.from(chunk));
      if (o.bytesPerSecond) {
        const due = (bytes / o.bytesPerSecond) * 1000 - (performance.now() - t0);
        if (due > 0) await new Promise((r) => setTimeout(r, due));
      }
    }
    peak = Math.max(peak, rssOf(server.pid));
    return {
      label,
      status: res.status,
      bytes,
      seconds: Math.round((performance.now() - t0) / 100) / 10,
      beforeMb: mb(before),
      peakMb: mb(peak),
      growthMb: mb(peak - before),
      ...(o.keepBody ? { body: Buffer.concat(chunks) } : {}),
    };
  } finally {
    clearInterval(sampler);
  }
}

/** The rows of each sheet of an XLSX, read with exceljs's streaming reader (header rows excluded). */
async function sheetRows(body: Buffer): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([body]), { worksheets: 'emit', sharedStrings: 'cache', styles: 'ignore', hyperlinks: 'ignore' });
  for await (const sheet of reader) {
    let n = 0;
    for await (const _row of sheet) n++;
    counts[(sheet as unknown as { name: string }).name] = n - 1;
  }
  return counts;
}

async function main(): Promise<void> {
  if (!SERVER_URL) throw new Error('Set BENCH_DATABASE_URL to a PostgreSQL server (postgres://postgres@127.0.0.1:5432/postgres).');
  const reuse = process.env.EXPORT_DATABASE || undefined;
  const keep = Boolean(reuse) || process.env.EXPORT_KEEP === '1';
  const name = reuse ?? `factdesk_expmem_${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}`;
  const admin = knex({ client: 'pg', connection: SERVER_URL, pool: { min: 0, max: 1 } });
  if (!reuse) {
    await admin.raw(`CREATE DATABASE ${name}`);
    log(`created database ${name}`);
  }
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  let server: Child | undefined;
  const stopAll = async () => {
    await server?.stop();
    if (!keep) await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.destroy();
    log(keep ? `kept database ${name}` : `dropped database ${name}`);
  };
  process.once('SIGINT', () => void stopAll().finally(() => process.exit(130)));
  try {
    const { reviewer, reportId } = reuse ? { reviewer: REVIEWER, reportId: 1 } : await generate(url.href);
    if (!reuse) log(`generated ${CLAIMS} verified claims with ${CLAIMS * LINKS} evidence links`);
    const env = {
      DATABASE_URL: url.href,
      NODE_ENV: 'production',
      SESSION_SECRET: randomBytes(32).toString('hex'),
      LOG_LEVEL: 'warn',
      TRUST_PROXY: '1',
      ...(process.env.EXPORT_NODE_OPTIONS ? { NODE_OPTIONS: process.env.EXPORT_NODE_OPTIONS } : {}),
    };
    server = await startChild('server/main.ts', [], env, await freePort(), '/healthz');
    const session = await signIn(server.url, reviewer, PASSWORD);
    log(`Factdesk pid ${server.pid} at ${server.url}, RSS ${mb(rssOf(server.pid))} MB after sign-in`);
    const downloads: [string, string, { bytesPerSecond?: number; keepBody?: boolean }][] = [
      ['CSV', `/reports/${reportId}/sheet.csv`, {}],
      ['evidence CSV', `/reports/${reportId}/sheet.evidence.csv`, {}],
      ['XLSX (report)', `/reports/${reportId}/sheet.xlsx`, { keepBody: true }],
      ['XLSX (claims, decided)', '/claims/sheet.xlsx?scope=decided', {}],
      ['XLSX (report, slow client 4 MB/s)', `/reports/${reportId}/sheet.xlsx`, { bytesPerSecond: 4 * 1048576 }],
      ['JSON', `/reports/${reportId}/sheet.json`, {}],
      ['ClaimReview', `/reports/${reportId}/sheet.jsonld`, {}],
    ];
    const only = (process.env.EXPORT_ONLY ?? '').split(',').filter(Boolean);
    const results: Measured[] = [];
    for (let run = 1; run <= REPEATS; run++) {
      for (const [label, path, o] of downloads) {
        if ((run > 1 && o.bytesPerSecond) || (only.length && !only.some((prefix) => label.startsWith(prefix)))) continue;
        const r = await measure(server, session.cookie, `${label} #${run}`, path, { ...o, keepBody: Boolean(o.keepBody) && run === 1 });
        log(`${r.label}: ${r.status}, ${mb(r.bytes)} MB in ${r.seconds} s; RSS ${r.beforeMb} -> peak ${r.peakMb} MB: +${r.growthMb} MB`);
        if (r.body) {
          log(`  sheets: ${JSON.stringify(await sheetRows(r.body))}`);
          delete r.body;
        }
        results.push(r);
      }
    }
    const worst = Math.max(...results.map((r) => r.growthMb));
    process.stdout.write(`\n${'download'.padEnd(40)} ${'MB'.padStart(7)} ${'s'.padStart(6)} ${'RSS before'.padStart(11)} ${'peak'.padStart(7)} ${'growth'.padStart(7)}\n`);
    for (const r of results) process.stdout.write(`${r.label.padEnd(40)} ${String(mb(r.bytes)).padStart(7)} ${String(r.seconds).padStart(6)} ${String(r.beforeMb).padStart(11)} ${String(r.peakMb).padStart(7)} ${`+${r.growthMb}`.padStart(7)}\n`);
    process.stdout.write(`\nlargest growth: +${worst} MB (limit ${LIMIT_MB} MB): ${worst < LIMIT_MB ? 'pass' : 'FAIL'}\n`);
  } finally {
    await stopAll();
  }
}

await main();
