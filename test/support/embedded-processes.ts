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

/**
 * Each server under DATA_DIR and the processes it started (PostgreSQL puts each
 * in a session of its own, so they are found by parent, in /proc, on Linux).
 */
export function databaseProcesses(dataDir: string): number[] {
  const servers = databaseServerPids(dataDir);
  if (process.platform !== 'linux') return servers;
  const parents = new Set(servers);
  const children = readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n))
    .map(Number)
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        return parents.has(Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      } catch {
        return false;
      }
    });
  return [...servers, ...children];
}

/** A power cut for the embedded database: SIGKILL to each server under DATA_DIR and every process it started. */
export function killDatabaseProcesses(dataDir: string): number {
  const pids = databaseProcesses(dataDir);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
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
