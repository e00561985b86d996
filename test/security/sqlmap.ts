/**
 * SQL injection scan of the adversarial suite, with sqlmap.
 *
 *   npx tsx test/security/sqlmap.ts               scan the app (exit 1 on any injectable parameter)
 *   npx tsx test/security/sqlmap.ts --self-test   prove the scan notices an injection (planted routes)
 *
 * The real app runs on 127.0.0.1 (a fresh embedded database, or a fresh schema
 * on the server named by TEST_DATABASE_URL) with data made by the factories.
 * Each target signs in through the sign-in form for its own session, and
 * sqlmap (Debian package `sqlmap`) then attacks the named parameters of the
 * search, list, filter, export and form endpoints. Forms go through sqlmap's
 * anti-CSRF support (--csrf-token/--csrf-url), so every POST carries a live token.
 *
 * For each target the script decides per parameter, from sqlmap's output:
 * injectable, not injectable, or not tested (a failed run, which fails the
 * scan: a connection error proves nothing). A recorder on the HTTP server
 * checks that sqlmap's requests really reached the signed-in pages (the
 * original request answered 200, or 303 to the app for a form; nothing sent
 * to /login, no CSRF refusal), and lists every 5xx the app gave with the
 * parameter that caused it and the error it logged.
 *
 * Options:
 *   --self-test        scan only a throwaway app with deliberately injectable routes
 *                      (string concatenated into SQL, on the same database) and a safe
 *                      control route; exits 0 only when the planted injections are
 *                      reported injectable and the control is not
 *   --only=TEXT        run only the targets whose name contains TEXT
 *   --jobs=N           sqlmap processes at a time (default 3)
 *   --level=N --risk=N sqlmap's --level/--risk (default 2 and 1)
 *   --time-sec=N       delay for the time-based and stacked-query tests (default 2)
 *   --technique=XYZ    sqlmap's --technique (default BEUSTQ: every technique)
 *   --fail-on-5xx      also fail when the app answered any request with a 5xx
 *   --keep             keep sqlmap's output directory (its path is printed)
 *   --verbose          print each sqlmap run's output as it finishes
 *
 * Exit status: 0 when every parameter was tested and none is injectable; 1 when one is, or
 * when a run failed or proved nothing; 2 when sqlmap is missing or the scan could not start.
 * A full scan takes about 5 minutes on two cores (4½-6 measured, start-up included); the
 * self-test about 40 seconds. SQLMAP=/path/to/sqlmap picks another sqlmap.
 *
 * This file reads the options, runs the scan and prints the summary; the rest is in
 *   targets.ts         what is scanned: the endpoints, parameters and original values
 *   app-under-test.ts  the seeded data, signing in, and the recorder of what the app saw
 *   run-sqlmap.ts      sqlmap's command line, running it (several at a time), its output
 *   verdicts.ts        judge(): sqlmap's output and the recorded requests made into verdicts
 *   self-test.ts       the planted vulnerable routes and the self-test's pass/fail
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createTestApp } from '../support/app.ts';
import { listen } from '../support/browser.ts';
import { Recorder, preflight, seedData, signIn } from './app-under-test.ts';
import { SQLMAP, pool, runSqlmap, sqlmapVersion, stopSqlmapRuns, type SqlmapSettings } from './run-sqlmap.ts';
import { selfTestResult, startPlantedApp } from './self-test.ts';
import { appTargets, type Target } from './targets.ts';
import { clip, judge, type Outcome } from './verdicts.ts';

// ---------------------------------------------------------------- options

interface Options extends SqlmapSettings {
  selfTest: boolean;
  only: string | null;
  jobs: number;
  failOn5xx: boolean;
  keep: boolean;
  verbose: boolean;
}

/** The command line as options; a wrong option prints the usage and exits 2. */
function parseOptions(argv: string[]): Options {
  const options: Options = { selfTest: false, only: null, jobs: 3, level: 2, risk: 1, timeSec: 2, technique: 'BEUSTQ', failOn5xx: false, keep: false, verbose: false };
  const int = (name: string, value: string, min: number, max: number): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) usage(`${name} must be a whole number from ${min} to ${max}`);
    return n;
  };
  for (const arg of argv) {
    const [flag = '', value = ''] = arg.split(/=(.*)/s, 2);
    if (flag === '--self-test') options.selfTest = true;
    else if (flag === '--only' && value) options.only = value;
    else if (flag === '--jobs') options.jobs = int('--jobs', value, 1, 16);
    else if (flag === '--level') options.level = int('--level', value, 1, 5);
    else if (flag === '--risk') options.risk = int('--risk', value, 1, 3);
    else if (flag === '--time-sec') options.timeSec = int('--time-sec', value, 1, 30);
    else if (flag === '--technique' && /^[BEUSTQ]+$/.test(value)) options.technique = value;
    else if (flag === '--fail-on-5xx') options.failOn5xx = true;
    else if (flag === '--keep') options.keep = true;
    else if (flag === '--verbose') options.verbose = true;
    else if (flag === '--help' || flag === '-h') usage(null);
    else usage(`unknown option ${arg}`);
  }
  return options;
}

function usage(problem: string | null): never {
  if (problem) console.error(`sqlmap scan: ${problem}`);
  console.error('usage: npx tsx test/security/sqlmap.ts [--self-test] [--only=TEXT] [--jobs=N] [--level=N] [--risk=N] [--time-sec=N] [--technique=BEUSTQ] [--fail-on-5xx] [--keep] [--verbose]');
  process.exit(problem ? 2 : 0);
}

// ---------------------------------------------------------------- the run

/** Counts the warnings the app's process raises under the scan (e.g. a database client misused), with where in server/. */
function watchWarnings(): { counts: Map<string, number>; stop(): void } {
  const counts = new Map<string, number>();
  const onWarning = (w: Error) => {
    const where = (w.stack ?? '').split('\n').find((l) => l.includes('/server/'))?.trim() ?? '';
    const key = `${w.name}: ${clip(w.message, 160)}${where ? ` (${where.replace(/^at /, '').replace(`${process.cwd()}/`, '')})` : ''}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  };
  process.on('warning', onWarning);
  return { counts, stop: () => process.off('warning', onWarning) };
}

function duration(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds - m * 60);
  return m > 0 ? `${m}m${String(s).padStart(2, '0')}s` : `${s}s`;
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const version = sqlmapVersion();
  if (!version) {
    console.error(`sqlmap scan: sqlmap is not installed (no '${SQLMAP}' on PATH).`);
    console.error('  Install it with:  apt-get install -y sqlmap   (Debian/Ubuntu), then run this again.');
    return 2;
  }

  const started = Date.now();
  let keepOutput = options.keep;
  const outDir = mkdtempSync(path.join(tmpdir(), 'factdesk-sqlmap-'));
  // Closed in reverse order: the planted app, the app's server, then the app and its database.
  const closers: (() => Promise<void>)[] = [];
  process.once('SIGINT', stopSqlmapRuns);
  process.once('SIGTERM', stopSqlmapRuns);
  const warnings = watchWarnings();
  try {
    const ctx = await createTestApp({ LOG_LEVEL: 'error' });
    closers.push(ctx.close);
    const appReady = Date.now();
    const seed = await seedData(ctx.db);
    const seeded = Date.now();
    const recorder = new Recorder();
    const served = await listen(ctx.app);
    closers.push(served.close);
    recorder.attach(served.server);
    const engine = process.env.TEST_DATABASE_URL ? 'PostgreSQL server (TEST_DATABASE_URL)' : 'embedded PostgreSQL';

    let base = served.url;
    let targets: Target[];
    if (options.selfTest) {
      const planted = await startPlantedApp(ctx.db, recorder, seed.bridgeReport);
      closers.push(planted.close);
      base = planted.url;
      targets = planted.targets;
      // One at a time: the planted injection's pg_sleep stalls the shared database (the embedded
      // one runs one statement at a time), which would show as lag in the control's time-based test.
      options.jobs = 1;
      console.log(`sqlmap scan SELF-TEST: planted injectable routes on ${base} (same database), app on ${served.url}`);
    } else {
      targets = appTargets(seed);
    }
    if (options.only) targets = targets.filter((t) => t.name.includes(options.only!));
    if (targets.length === 0) {
      console.error(`sqlmap scan: no target matches --only=${options.only ?? ''}`);
      return 2;
    }

    console.log(
      `sqlmap ${version} against Factdesk on ${served.url} (${engine}); ${targets.length} targets, ${targets.reduce((n, t) => n + t.test.length, 0)} parameters; ` +
        `level ${options.level}, risk ${options.risk}, techniques ${options.technique}, time-sec ${options.timeSec}, ${options.jobs} at a time ` +
        `(app up in ${duration((appReady - started) / 1000)}, data in ${duration((seeded - appReady) / 1000)})`,
    );

    // The app's own sign-in, once to check the original requests, then one session per target.
    const checkSession = await signIn(served.url, seed.editor.email);
    const preProblems = await preflight(targets, base, checkSession);
    if (preProblems.length > 0) {
      console.error('sqlmap scan: the original requests do not reach the signed-in pages with data, so the scan would prove nothing:');
      for (const p of preProblems) console.error(`  ${p}`);
      return 1;
    }

    // GET targets first: forms add claims, comments and sources, and the lists should not change under a GET scan.
    const order = [...targets].sort((a, b) => (a.method === b.method ? 0 : a.method === 'GET' ? -1 : 1));
    let index = 0;
    const outcomes = await pool(order, options.jobs, async (target) => {
      const tag = `t${String(++index).padStart(2, '0')}`;
      const dir = path.join(outDir, `${tag}-${target.name.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').slice(0, 60)}`);
      mkdirSync(dir, { recursive: true });
      const session = await signIn(served.url, seed.editor.email);
      const run = await runSqlmap(target, base, session, tag, dir, options);
      const outcome = judge(run, recorder.of(tag), base, ctx.logs);
      printOutcome(outcome, options.verbose);
      return outcome;
    });

    const seconds = (Date.now() - started) / 1000;
    const { injectable, failed, errors5xx } = printSummary(outcomes, seconds, outDir, warnings.counts);
    keepOutput = options.keep || failed > 0 || (injectable > 0 && !options.selfTest);
    if (keepOutput) console.log(`sqlmap's output is kept in ${outDir}`);
    if (options.selfTest) return selfTestResult(outcomes);
    return injectable > 0 || failed > 0 || (options.failOn5xx && errors5xx > 0) ? 1 : 0;
  } finally {
    warnings.stop();
    process.off('SIGINT', stopSqlmapRuns);
    process.off('SIGTERM', stopSqlmapRuns);
    stopSqlmapRuns();
    for (const close of closers.reverse()) await close();
    // sqlmap's output stays for a look when asked, or when something went wrong (its path is printed).
    if (!keepOutput) rmSync(outDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- what is printed

/** One target's line: ok, INJECTABLE or FAILED, with its problems, notes and (verbose or failed) sqlmap's output. */
function printOutcome(outcome: Outcome, verbose: boolean): void {
  const { run } = outcome;
  const verdicts = [...outcome.verdicts].map(([k, v]) => (v === 'not injectable' ? k : `${k}=${v.toUpperCase()}`)).join(' ');
  const status = outcome.problems.length > 0 ? 'FAILED' : [...outcome.verdicts.values()].includes('injectable') ? 'INJECTABLE' : 'ok';
  console.log(`  ${status.padEnd(10)} ${run.target.name}  (${verdicts}; ${outcome.requests} requests, ${duration(run.seconds)})`);
  for (const p of outcome.problems) console.log(`             problem: ${p}`);
  for (const n of outcome.notes) console.log(`             note: ${n}`);
  if (verbose || outcome.problems.length > 0) {
    const tail = run.output.split('\n').filter((l) => l.trim()).slice(verbose ? 0 : -15);
    console.log(tail.map((l) => `             | ${l}`).join('\n'));
  }
}

/** The scan's summary: parameters per endpoint, injectable ones, failed runs, 5xx answers and warnings; returns the counts. */
function printSummary(outcomes: Outcome[], seconds: number, outDir: string, warnings: Map<string, number>): { injectable: number; failed: number; errors5xx: number } {
  const tested = outcomes.reduce((n, o) => n + [...o.verdicts.values()].filter((v) => v !== 'not tested').length, 0);
  const untested = outcomes.reduce((n, o) => n + [...o.verdicts.values()].filter((v) => v === 'not tested').length, 0);
  const injectable = outcomes.flatMap((o) => [...o.verdicts].filter(([, v]) => v === 'injectable').map(([k]) => `${o.run.target.name}: ${k}`));
  const failed = outcomes.filter((o) => o.problems.length > 0);
  const errors5xx = outcomes.reduce((n, o) => n + o.serverErrors.length, 0);
  const requests = outcomes.reduce((n, o) => n + o.requests, 0);

  console.log('');
  console.log(`Targets (${outcomes.length}), in ${duration(seconds)}, ${requests} requests to the targets:`);
  const byEndpoint = new Map<string, string[]>();
  for (const o of outcomes) {
    const key = `${o.run.target.method} ${o.run.target.path}`;
    byEndpoint.set(key, [...(byEndpoint.get(key) ?? []), ...o.verdicts.keys()]);
  }
  for (const [endpoint, params] of byEndpoint) console.log(`  ${endpoint}: ${params.join(', ')}`);
  if (injectable.length > 0) {
    console.log('Injectable:');
    for (const i of injectable) console.log(`  ${i}`);
  }
  if (failed.length > 0) {
    console.log(`sqlmap failed or proved nothing on ${failed.length} target(s) (output in ${outDir}):`);
    for (const o of failed) console.log(`  ${o.run.target.name}: ${o.problems.join('; ')}`);
  }
  if (errors5xx > 0) console.log(`The app answered ${errors5xx} requests with 5xx (see the notes above).`);
  if (warnings.size > 0) {
    console.log('Warnings raised in the app process during the scan (Node reports each kind once):');
    for (const [w, n] of warnings) console.log(`  ${w}${n > 1 ? ` x${n}` : ''}`);
  }
  console.log(`sqlmap: ${tested} parameters tested, ${injectable.length} injectable${untested > 0 ? `, ${untested} not tested` : ''}${failed.length > 0 ? `, ${failed.length} target(s) failed` : ''} (${duration(seconds)})`);
  return { injectable: injectable.length, failed: failed.length, errors5xx };
}

// Runs when started as a script (importing it does not; judge() on a saved sqlmap output is in verdicts.ts).
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      console.error('sqlmap scan: could not run:', err instanceof Error ? (err.stack ?? err.message) : err);
      process.exitCode = 2;
    },
  );
}
