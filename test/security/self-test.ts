/**
 * The scan's self-test (--self-test): a throwaway app with routes that paste a parameter
 * into SQL, on the same database, plus a safe control. It proves the scan reports a real
 * injection as injectable (and a safe route as not). Never part of the real app.
 */
import { randomUUID } from 'node:crypto';
import express from 'express';
import type { Db } from '../../server/platform/database.ts';
import { listen } from '../support/browser.ts';
import type { Recorder } from './app-under-test.ts';
import type { Target } from './targets.ts';
import type { Outcome } from './verdicts.ts';

type ReportRow = { id: number; title: string };

/** The planted routes: two injectable (a string and a numeric context, one behind a CSRF token) and a safe control. */
function vulnerableApp(db: Db): express.Express {
  const app = express();
  const token = 'self-test-csrf-token-0123456789abcdef';
  app.use((_req, res, next) => {
    res.setHeader('X-Request-Id', randomUUID());
    next();
  });
  app.use(express.urlencoded({ extended: false }));
  const page = (rows: ReportRow[]) => `<!doctype html><title>Reports</title><ul>${rows.map((r) => `<li>${r.id}: ${r.title.replace(/[<&]/g, '')}</li>`).join('')}</ul>`;
  const fail = (res: express.Response) => res.status(500).send('<!doctype html><title>Error</title><p>Something went wrong.</p>');

  // Deliberately injectable: the text is pasted into the SQL (a string context).
  app.get('/selftest/reports', async (req, res) => {
    const title = typeof req.query.title === 'string' ? req.query.title : '';
    try {
      const result = (await db.raw(`SELECT id, title FROM reports WHERE title = '${title}' ORDER BY id`)) as { rows: ReportRow[] };
      res.send(page(result.rows));
    } catch {
      fail(res);
    }
  });
  // Safe control: the same query with a bound value.
  app.get('/selftest/safe-reports', async (req, res) => {
    const title = typeof req.query.title === 'string' ? req.query.title : '';
    try {
      const result = (await db.raw('SELECT id, title FROM reports WHERE title = ? ORDER BY id', [title])) as { rows: ReportRow[] };
      res.send(page(result.rows));
    } catch {
      fail(res);
    }
  });
  // A form with a CSRF token, whose number field is pasted into the SQL (a numeric context).
  app.get('/selftest/form', (_req, res) => {
    res.send(`<!doctype html><title>Form</title><form method="post" action="/selftest/lookup"><input type="hidden" name="_csrf" value="${token}"><input name="id"></form>`);
  });
  app.post('/selftest/lookup', async (req, res) => {
    const body = req.body as Record<string, unknown>;
    if (body._csrf !== token) {
      res.status(403).send('bad token');
      return;
    }
    try {
      const result = (await db.raw(`SELECT id, title FROM reports WHERE id = ${String(body.id)}`)) as { rows: ReportRow[] };
      res.send(page(result.rows));
    } catch {
      fail(res);
    }
  });
  return app;
}

function selfTestTargets(reportId: number): Target[] {
  return [
    { name: 'GET /selftest/reports [title] (planted injection)', method: 'GET', path: '/selftest/reports', params: new URLSearchParams({ title: 'Bridge opening report' }), test: ['title'], expectText: 'Bridge opening report', expect: 'injectable' },
    { name: 'POST /selftest/lookup [id] (planted injection, with CSRF)', method: 'POST', path: '/selftest/lookup', params: new URLSearchParams({ id: String(reportId) }), test: ['id'], csrfPage: '/selftest/form', baseStatus: 200, expect: 'injectable' },
    { name: 'GET /selftest/safe-reports [title] (safe control)', method: 'GET', path: '/selftest/safe-reports', params: new URLSearchParams({ title: 'Bridge opening report' }), test: ['title'], expectText: 'Bridge opening report', expect: 'not injectable' },
  ];
}

/** Serves the planted routes on the app's database, recorded like the app; returns where, what to scan, and how to stop it. */
export async function startPlantedApp(db: Db, recorder: Recorder, reportId: number): Promise<{ url: string; targets: Target[]; close(): Promise<void> }> {
  const planted = await listen(vulnerableApp(db));
  recorder.attach(planted.server);
  return { url: planted.url, targets: selfTestTargets(reportId), close: planted.close };
}

/** Prints whether the scan told the planted injections from the safe control; returns the exit status. */
export function selfTestResult(outcomes: Outcome[]): number {
  const failed = outcomes.filter((o) => o.problems.length > 0);
  const wrong = outcomes.flatMap((o) => [...o.verdicts].filter(([, v]) => v !== o.run.target.expect).map(([k, v]) => `${o.run.target.name}: ${k} was ${v}, expected ${o.run.target.expect ?? '?'}`));
  if (wrong.length > 0 || failed.length > 0) {
    console.log('self-test FAILED: the scan did not tell the planted injections from the safe route:');
    for (const w of wrong) console.log(`  ${w}`);
    return 1;
  }
  console.log('self-test passed: the planted injections were reported injectable and the safe control was not.');
  return 0;
}
