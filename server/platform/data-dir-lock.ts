import { linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { ConfigError } from './config.ts';

/** Another live process holds the embedded database's folder; main.ts prints the message as one line. */
export class DataDirInUseError extends ConfigError {}

/** A held lock; release() gives it up (also done when the process exits). */
export interface DataDirLock {
  release(): void;
}

interface Holder {
  pid: number;
  host: string;
}

/**
 * Takes the lock file `<name>.lock` beside the embedded database's folder: the
 * process holding it owns the database server's life (starts it, stops it,
 * stops an orphan left by a killed predecessor), so a second `npm start` is
 * refused with a plain sentence, and tools find the running server instead of
 * starting another. (PostgreSQL's own postmaster.pid would refuse a second
 * server too, but only after the first had been taken for an orphan.) The
 * older PGlite folders, which have no lock of their own, are guarded the same
 * way while they are converted. A lock left by a process that no longer runs
 * is taken over.
 */
export function lockDataDir(embeddedDir: string): DataDirLock {
  const dataDir = path.dirname(embeddedDir);
  const file = `${embeddedDir}.lock`;
  mkdirSync(dataDir, { recursive: true });
  const mine = JSON.stringify({ pid: process.pid, host: hostname() } satisfies Holder) + '\n';
  for (let attempt = 0; attempt < 5; attempt++) {
    if (create(file, mine)) return held(file, mine);
    const found = read(file);
    if (found === undefined) continue; // released meanwhile: try again
    const holder = parse(found);
    if (holder && isAlive(holder)) {
      throw new DataDirInUseError(
        `Factdesk is already running on DATA_DIR ${dataDir} (process ${holder.pid}): stop it first, or use a PostgreSQL server (DATABASE_URL).`,
      );
    }
    removeStale(file, found);
  }
  throw new DataDirInUseError(`Factdesk could not take the lock file ${file}: another process keeps changing it. Stop the other process first.`);
}

// The lock appears complete or not at all: written aside, then linked into place
// (link, like open with O_EXCL, fails when the name exists).
function create(file: string, content: string): boolean {
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, content);
  try {
    linkSync(temp, file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    unlinkSync(temp);
  }
}

// Moves the stale lock aside first, so two processes taking it over at once do
// not delete each other's fresh lock: only the one whose rename moved the stale
// content goes on; a fresh lock moved by mistake is put back.
function removeStale(file: string, staleContent: string): void {
  const aside = `${file}.${process.pid}.stale`;
  try {
    renameSync(file, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  const moved = read(aside);
  if (moved !== staleContent) {
    try {
      linkSync(aside, file);
    } catch {
      // Someone else has taken the lock meanwhile; theirs stands.
    }
  }
  unlinkSync(aside);
}

function held(file: string, mine: string): DataDirLock {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    // Only our own lock: never one that was taken over after ours went stale.
    if (read(file) === mine) unlinkSync(file);
  };
  process.on('exit', release);
  return { release };
}

function read(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function parse(content: string): Holder | null {
  try {
    const value = JSON.parse(content) as Partial<Holder>;
    return typeof value.pid === 'number' && typeof value.host === 'string' ? { pid: value.pid, host: value.host } : null;
  } catch {
    return null;
  }
}

function isAlive(holder: Holder): boolean {
  // A process on another machine (a shared folder) cannot be looked up: assume it runs.
  if (holder.host !== hostname()) return true;
  if (holder.pid === process.pid) return true;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
