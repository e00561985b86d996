import { closeSync, existsSync, fsyncSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

/** The cluster's folder inside DATA_DIR. */
export const CLUSTER_DIR = 'postgres';
/** Where Factdesk versions before the PostgreSQL server kept their PGlite database. */
export const LEGACY_DIR = 'pgdata';
/** Written last into a new cluster: a cluster folder without it was never finished. */
export const MARKER_FILE = 'factdesk-cluster.json';
/** The app role's password, made at creation, readable only by the database's account (and root). */
export const PASSWORD_FILE = 'factdesk-password';
/** New clusters are made under this name beside the real one and renamed into place when whole. */
export const MAKING_PREFIX = '.postgres-new-';

/** What the marker says about a cluster. */
export interface ClusterMarker {
  createdAt: string;
  /** The old PGlite folder whose data the cluster received, when it was made by converting one. */
  convertedFrom?: string;
}

/** What DATA_DIR holds, as far as the embedded database is concerned. */
export type DataFolderState =
  | { kind: 'empty' }
  | { kind: 'cluster'; marker: ClusterMarker; legacyLeft: boolean }
  | { kind: 'unfinished-cluster' }
  | { kind: 'pglite' }
  | { kind: 'unfinished-pglite'; missing: string };

// A PGlite folder is a PostgreSQL data folder: PGlite copies its template in
// file by file, PG_VERSION next to last and the configuration after it, so a
// first start killed part-way leaves some of these missing.
const PGLITE_NEEDS = ['PG_VERSION', 'postgresql.conf', 'pg_hba.conf', 'pg_ident.conf', path.join('global', 'pg_control'), 'base'];

/** Looks at DATA_DIR and says what is there, without changing anything. */
export function inspectDataFolder(dataDir: string): DataFolderState {
  const cluster = path.join(dataDir, CLUSTER_DIR);
  const legacy = path.join(dataDir, LEGACY_DIR);
  if (existsSync(cluster)) {
    const marker = readMarker(cluster);
    if (!marker) return { kind: 'unfinished-cluster' };
    return { kind: 'cluster', marker, legacyLeft: existsSync(legacy) };
  }
  if (!existsSync(legacy)) return { kind: 'empty' };
  const missing = PGLITE_NEEDS.find((name) => !existsSync(path.join(legacy, name)));
  return missing ? { kind: 'unfinished-pglite', missing } : { kind: 'pglite' };
}

function readMarker(cluster: string): ClusterMarker | undefined {
  try {
    const value = JSON.parse(readFileSync(path.join(cluster, MARKER_FILE), 'utf8')) as Partial<ClusterMarker>;
    return typeof value.createdAt === 'string' ? (value as ClusterMarker) : undefined;
  } catch {
    return undefined;
  }
}

/** Deletes clusters whose making was cut short: nothing points at them, and the lock says no one is making one now. */
export function removeUnfinishedMakings(dataDir: string): string[] {
  const removed = readdirSync(dataDir).filter((name) => name.startsWith(MAKING_PREFIX));
  for (const name of removed) rmSync(path.join(dataDir, name), { recursive: true, force: true });
  return removed;
}

/** Makes a rename or a new file durable: the folder's own entry list is flushed to disk. */
export function syncFolder(dir: string): void {
  if (process.platform === 'win32') return; // Windows cannot open a folder to flush it.
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
