// The baseline: a bare Express 5 + pg server, no sessions, no templates, that
// answers each read scenario by running exactly the SQL Factdesk's page ran
// (recorded by record.ts, same statements, same bindings, same waves of
// concurrency) and sending the rows as JSON; and streams
// `COPY (export query) TO STDOUT WITH CSV` for the export scenario. It is the
// ceiling Factdesk's throughput is compared against.
//
//   node --import tsx test/bench/baseline.ts <spec.json>
//
// with PORT, and DATABASE_URL (a server) or BASELINE_DATA_DIR (the DATA_DIR of
// an embedded database, started here as Factdesk starts it).
import { readFileSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import express from 'express';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { openDatabase } from '../../server/platform/database.ts';
import type { RecordedStatement } from './record.ts';
import { startChild, type Child } from './processes.ts';

export interface BaselineSpec {
  scenarios: { name: string; statements: RecordedStatement[] }[];
  /** Queries streamed with COPY ... TO STDOUT WITH CSV HEADER (bindings already inlined). */
  copies: { name: string; sql: string }[];
}

/** The statements grouped by wave, in order. */
function waves(statements: RecordedStatement[]): RecordedStatement[][] {
  const out: RecordedStatement[][] = [];
  for (const s of statements) (out[s.stage] ??= []).push(s);
  return out.filter(Boolean);
}

async function serve(specFile: string): Promise<void> {
  const spec = JSON.parse(readFileSync(specFile, 'utf8')) as BaselineSpec;
  const dataDir = process.env.BASELINE_DATA_DIR;
  const embedded = dataDir ? await openDatabase({ dataDir, poolMax: 1 }) : null;
  const connectionString = embedded?.url ?? process.env.DATABASE_URL;
  if (!connectionString) throw new Error('set DATABASE_URL or BASELINE_DATA_DIR');
  // The same pool size as Factdesk's.
  const pool = new pg.Pool({ connectionString, max: 10, application_name: 'factdesk-baseline' });
  const scenarios = new Map(spec.scenarios.map((s) => [s.name, waves(s.statements)]));
  const copies = new Map(spec.copies.map((c) => [c.name, c.sql]));

  const app = express();
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/s/:name', async (req, res) => {
    const stages = scenarios.get(req.params.name);
    if (!stages) {
      res.status(404).json({ error: 'unknown scenario' });
      return;
    }
    const results: unknown[][] = [];
    for (const stage of stages) results.push(...(await Promise.all(stage.map(async (s) => (await pool.query(s.sql, s.bindings)).rows))));
    res.json(results);
  });
  app.get('/copy/:name', async (req, res) => {
    const sql = copies.get(req.params.name);
    if (!sql) {
      res.status(404).json({ error: 'unknown copy' });
      return;
    }
    const client = await pool.connect();
    try {
      res.type('text/csv');
      await pipeline(client.query(copyTo(`COPY (${sql}) TO STDOUT WITH CSV HEADER`)), res);
    } finally {
      client.release();
    }
  });
  const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
  const stop = () => {
    server.close();
    server.closeAllConnections();
    void pool
      .end()
      .then(() => embedded?.close())
      .finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

/** Starts the baseline as its own process (like Factdesk, so each has a Node event loop to itself). */
export function startBaseline(specFile: string, port: number, db: { url?: string; dataDir?: string }): Promise<Child> {
  const env: Record<string, string> = db.url ? { DATABASE_URL: db.url } : { BASELINE_DATA_DIR: db.dataDir ?? '' };
  return startChild('test/bench/baseline.ts', [specFile], env, port, '/healthz');
}

/** A statement with its $n parameters written in as SQL literals (COPY takes no parameters). */
export function inlineBindings(sql: string, bindings: readonly unknown[]): string {
  const literal = (v: unknown): string => {
    if (v === null || v === undefined) return 'NULL';
    if (typeof v === 'number' || typeof v === 'bigint') return String(v);
    if (typeof v === 'boolean') return v ? 'true' : 'false';
    if (v instanceof Date) return pg.escapeLiteral(v.toISOString());
    if (Array.isArray(v)) return pg.escapeLiteral(`{${v.map((x) => (x === null ? 'NULL' : `"${String(x).replace(/["\\]/g, '\\$&')}"`)).join(',')}}`);
    return pg.escapeLiteral(String(v));
  };
  return sql.replace(/\$(\d+)\b/g, (_m, n: string) => literal(bindings[Number(n) - 1]));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const specFile = process.argv[2];
  if (!specFile) {
    process.stderr.write('usage: node --import tsx test/bench/baseline.ts <spec.json>\n');
    process.exit(2);
  }
  await serve(specFile);
}
