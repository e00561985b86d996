/**
 * sqlmap itself: finding it, building its command line for a target, running it
 * (several at a time) and collecting what it printed.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Session } from './app-under-test.ts';
import type { Target } from './targets.ts';

/** The sqlmap to run: SQLMAP=/path/to/sqlmap, or the one on PATH. */
export const SQLMAP = process.env.SQLMAP ?? 'sqlmap';

/** sqlmap's version, or null when it is not there (the caller says how to install it). */
export function sqlmapVersion(): string | null {
  const run = spawnSync(SQLMAP, ['--version'], { encoding: 'utf8', timeout: 60_000 });
  if (run.error || run.status !== 0) return null;
  return /\d+\.\d+[^\s]*/.exec(run.stdout)?.[0] ?? run.stdout.trim();
}

/** How hard sqlmap tries: its --level, --risk, --technique and --time-sec. */
export interface SqlmapSettings {
  level: number;
  risk: number;
  timeSec: number;
  technique: string;
}

/** One finished sqlmap run over a target. */
export interface Run {
  target: Target;
  tag: string;
  /** sqlmap's traffic log (forms only: the bodies are not in the URL). */
  trafficFile: string | null;
  exitCode: number | null;
  timedOut: boolean;
  output: string;
  seconds: number;
}

const children = new Set<ChildProcess>();

/** Stops every sqlmap still running (on Ctrl-C, or when the scan ends early). */
export function stopSqlmapRuns(): void {
  for (const child of children) child.kill('SIGTERM');
}

function sqlmapArgs(target: Target, base: string, session: Session, tag: string, dir: string, settings: SqlmapSettings): string[] {
  const params = new URLSearchParams(target.params);
  if (target.method === 'POST') params.set('_csrf', session.csrf);
  const query = target.method === 'GET' && [...params].length > 0 ? `?${params.toString().replace(/\+/g, '%20')}` : '';
  const args = [
    '-u',
    `${base}${target.path}${query}`,
    '--batch',
    // Standard input is not a terminal here: without this sqlmap would read targets from it.
    '--ignore-stdin',
    '--disable-coloring',
    `--output-dir=${dir}`,
    `--cookie=${session.cookie}`,
    '--drop-set-cookie',
    `--headers=X-Scan-Target: ${tag}`,
    '--dbms=PostgreSQL',
    `--level=${settings.level}`,
    `--risk=${settings.risk}`,
    `--technique=${settings.technique}`,
    `--time-sec=${settings.timeSec}`,
    '--timeout=20',
    '--retries=1',
    '--skip-waf',
    // Keep testing the other parameters after an injectable one, so every verdict is known; after a
    // form's 303, fetch the saved record (GET) rather than post the form again to it (an edit route).
    '--answers=keep testing=Y,resend original POST data=N',
  ];
  if (!target.path.includes('*')) args.push(`-p`, target.test.join(','));
  // sqlmap refuses --threads with --csrf-url (each request needs the token page first).
  if (target.method === 'GET') args.push('--threads=4');
  if (target.method === 'POST') {
    args.push(`--data=${params.toString().replace(/\+/g, '%20')}`, '--csrf-token=_csrf', `--csrf-url=${base}${target.csrfPage ?? '/account'}`);
  }
  return args;
}

/**
 * Runs sqlmap over one target as the signed-in session, tagging its requests for the recorder;
 * keeps its output (and a form's traffic log) in dir, and stops it after 9 minutes.
 */
export function runSqlmap(target: Target, base: string, session: Session, tag: string, dir: string, settings: SqlmapSettings): Promise<Run> {
  const args = sqlmapArgs(target, base, session, tag, dir, settings);
  const trafficFile = target.method === 'POST' ? path.join(dir, 'traffic.txt') : null;
  if (trafficFile) args.push('-t', trafficFile);
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(SQLMAP, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PYTHONUNBUFFERED: '1', TERM: 'dumb' } });
    children.add(child);
    let output = '';
    let timedOut = false;
    const limit = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
    }, 9 * 60_000);
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    let done = false;
    const finish = (exitCode: number | null) => {
      if (done) return; // 'error' can be followed by 'close'
      done = true;
      clearTimeout(limit);
      children.delete(child);
      writeFileSync(path.join(dir, 'sqlmap-output.txt'), `$ sqlmap ${args.map((a) => JSON.stringify(a)).join(' ')}\n\n${output}`);
      resolve({ target, tag, trafficFile, exitCode, timedOut, output, seconds: (Date.now() - started) / 1000 });
    };
    child.on('error', (err) => {
      output += `\n[script] could not start sqlmap: ${err.message}\n`;
      finish(null);
    });
    child.on('close', (code) => finish(code));
  });
}

/** Does work on every item, at most size at a time; the results keep the items' order. */
export async function pool<T, R>(items: T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
  return results;
}
