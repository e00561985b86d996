import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The postmaster pid of every database server with a pid file under DATA_DIR (the cluster, or one being made). */
export function databaseServerPids(dataDir: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync(dataDir)) {
    try {
      const pid = Number(readFileSync(path.join(dataDir, name, 'postmaster.pid'), 'utf8').split('\n')[0]);
      if (pid > 0 && alive(pid)) pids.push(pid);
    } catch {
      // No server there.
    }
  }
  return pids;
}

/** A power cut for the embedded database: SIGKILL to each server under DATA_DIR and every process it started (its process group). */
export function killDatabaseProcesses(dataDir: string): number {
  const pids = databaseServerPids(dataDir);
  for (const pid of pids) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  return pids.length;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
