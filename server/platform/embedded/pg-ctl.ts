import { execFile, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { PostgresBinaries } from './binaries.ts';
import type { OsUser } from './os-user.ts';

/** A PostgreSQL program that failed; the message carries what it printed. */
export class PostgresProgramError extends Error {}

/** What every call needs: the programs, the cluster folder, and whose account runs them. */
export interface ClusterHandle {
  bins: PostgresBinaries;
  dir: string;
  user: OsUser | undefined;
}

// Messages in English whatever the machine's language: they end up in ours.
const ENV = { ...process.env, LC_MESSAGES: 'C', LANG: 'C.UTF-8' };

/** Runs one of the PostgreSQL programs as the database's account and resolves with its exit code and output. */
export function run(handle: ClusterHandle, program: keyof PostgresBinaries, args: string[], timeoutMs = 120_000): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      handle.bins[program],
      args,
      { env: ENV, timeout: timeoutMs, ...(handle.user ? { uid: handle.user.uid, gid: handle.user.gid } : {}), windowsHide: true },
      (err, stdout, stderr) => {
        const code = err ? (typeof (err as NodeJS.ErrnoException & { code?: unknown }).code === 'number' ? Number(err.code) : 1) : 0;
        resolve({ code, output: `${stdout}${stderr}`.trim() });
      },
    );
  });
}

/**
 * Starts the cluster's server and waits until it accepts connections. pg_ctl
 * detaches the server into its own session, so a Ctrl-C meant for Factdesk does
 * not reach it; Factdesk stops it itself, in order, when it shuts down.
 */
export async function startCluster(handle: ClusterHandle): Promise<void> {
  const startLog = path.join(handle.dir, 'log', 'startup.log');
  const started = await run(handle, 'pg_ctl', ['start', '-D', handle.dir, '-w', '-t', '120', '-s', '-l', startLog]);
  if (started.code !== 0) {
    throw new PostgresProgramError(`the embedded PostgreSQL did not start: ${lastLines(startLog) || started.output}`);
  }
}

/** Whether a server runs on the cluster folder (a running one, or an orphan left by a killed Factdesk). */
export async function isRunning(handle: ClusterHandle): Promise<boolean> {
  // pg_ctl status: 0 running, 3 not running (no or stale postmaster.pid), 4 no such folder.
  return (await run(handle, 'pg_ctl', ['status', '-D', handle.dir])).code === 0;
}

/**
 * Stops the cluster's server: "fast" rolls back open transactions and writes a
 * checkpoint, so the next start needs no recovery. A server that will not stop
 * in time is stopped "immediate" (the next start then recovers from the WAL).
 */
export async function stopCluster(handle: ClusterHandle): Promise<void> {
  if (!(await isRunning(handle))) return;
  const fast = await run(handle, 'pg_ctl', ['stop', '-D', handle.dir, '-m', 'fast', '-w', '-t', '30', '-s']);
  if (fast.code === 0 || !(await isRunning(handle))) return;
  const immediate = await run(handle, 'pg_ctl', ['stop', '-D', handle.dir, '-m', 'immediate', '-w', '-t', '30', '-s']);
  if (immediate.code !== 0 && (await isRunning(handle))) throw new PostgresProgramError(`the embedded PostgreSQL would not stop: ${immediate.output}`);
}

/** The same stop, synchronously, for the moment the process exits without having shut down (an uncaught error). */
export function stopClusterNow(handle: ClusterHandle): void {
  spawnSync(handle.bins.pg_ctl, ['stop', '-D', handle.dir, '-m', 'fast', '-w', '-t', '30', '-s'], {
    env: ENV,
    stdio: 'ignore',
    ...(handle.user ? { uid: handle.user.uid, gid: handle.user.gid } : {}),
  });
}

function lastLines(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-5).join(' | ');
  } catch {
    return '';
  }
}
