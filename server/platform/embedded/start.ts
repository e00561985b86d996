import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../config.ts';
import { findBinaries } from './binaries.ts';
import { APP_DATABASE, createCluster, type FillCluster } from './create-cluster.ts';
import { CLUSTER_DIR, inspectDataFolder, LEGACY_DIR, MARKER_FILE, PASSWORD_FILE, removeUnfinishedMakings, syncFolder } from './data-folder.ts';
import { checkReachable, databaseOsUser } from './os-user.ts';
import { prepareRuntimeRole } from './runtime-role.ts';
import { isRunning, startCluster, stopCluster, stopClusterNow, type ClusterHandle } from './pg-ctl.ts';
import { chooseEndpoint, connectionUrl, writeSettings } from './settings.ts';

/** A running embedded PostgreSQL server and how to reach and stop it. */
export interface EmbeddedPostgres {
  /** As the cluster's own user, which owns the tables and runs the migrations. */
  url: string;
  /** As the runtime role the app serves requests with (./runtime-role.ts). */
  runtimeUrl: string;
  /** What the start did that the person starting should hear about (a conversion, an orphan stopped). */
  notices: string[];
  stop(): Promise<void>;
}

/** Copies an old PGlite folder's data into a new cluster (the backup module provides it). */
export type ConvertPglite = (legacyDir: string) => FillCluster;

/**
 * Starts the PostgreSQL server that keeps its data in DATA_DIR/postgres,
 * making the cluster on the first start. The caller holds DATA_DIR's lock, so
 * a server found running on the folder is an orphan of a Factdesk that was
 * killed: it is stopped before the new start. A folder left by an interrupted
 * first start is recognised and explained; an old PGlite folder is converted.
 */
export async function startEmbeddedPostgres(dataDir: string, options: { convertPglite?: ConvertPglite } = {}): Promise<EmbeddedPostgres> {
  const bins = await findBinaries();
  const user = databaseOsUser();
  prepareDataDir(dataDir, user !== undefined);
  checkReachable(user, dataDir);
  const notices: string[] = [];
  if (removeUnfinishedMakings(dataDir).length > 0) notices.push('an unfinished first start was cleared away; the database was made anew');

  const state = inspectDataFolder(dataDir);
  const legacy = path.join(dataDir, LEGACY_DIR);
  if (state.kind === 'unfinished-cluster') {
    throw new ConfigError(
      `${path.join(dataDir, CLUSTER_DIR)} is not a complete Factdesk database (its ${MARKER_FILE} is missing). If it came from a copy or a restore that did not finish, move it away and restore from a backup (npm run restore).`,
    );
  }
  if (state.kind === 'unfinished-pglite') {
    throw new ConfigError(
      `${legacy} is an unfinished database from an older Factdesk (${state.missing} is missing): its first start was interrupted before it held any data. Delete or move that folder and start again; if it did hold data, restore it from a copy.`,
    );
  }
  if (state.kind === 'pglite') {
    if (!options.convertPglite) throw new ConfigError(`${legacy} holds a database from an older Factdesk; start Factdesk with npm start to convert it.`);
    await createCluster({ dataDir, bins, user, fill: options.convertPglite(legacy), convertedFrom: LEGACY_DIR });
    notices.push(`the data of the older embedded database was copied into PostgreSQL; the old folder is kept as ${keepAside(dataDir)} until you delete it`);
  } else if (state.kind === 'cluster' && state.legacyLeft && state.marker.convertedFrom) {
    // The conversion finished, but the process stopped before the old folder was moved aside.
    notices.push(`the older embedded database had already been converted; its folder is kept as ${keepAside(dataDir)} until you delete it`);
  } else if (state.kind === 'cluster' && state.legacyLeft) {
    notices.push(`${legacy} holds a database from an older Factdesk that this desk does not use; to bring its data in, move ${path.join(dataDir, CLUSTER_DIR)} away and start again`);
  } else if (state.kind === 'empty') {
    await createCluster({ dataDir, bins, user });
  }

  const handle: ClusterHandle = { bins, dir: path.join(dataDir, CLUSTER_DIR), user };
  if (await isRunning(handle)) {
    await stopCluster(handle);
    notices.push('a database server left running by an earlier Factdesk that did not stop cleanly was stopped first');
  }
  const endpoint = await chooseEndpoint(handle.dir, user);
  writeSettings(handle.dir, endpoint, user);
  await startCluster(handle);
  // The last resort when the process ends without its shutdown (an uncaught error): no server outlives it.
  const onExit = () => stopClusterNow(handle);
  process.on('exit', onExit);
  const url = connectionUrl(endpoint, readPassword(handle.dir), APP_DATABASE);
  let runtimeUrl: string;
  try {
    runtimeUrl = await prepareRuntimeRole(url);
  } catch (err) {
    process.off('exit', onExit);
    await stopCluster(handle);
    throw err;
  }
  return {
    url,
    runtimeUrl,
    notices,
    async stop() {
      process.off('exit', onExit);
      await stopCluster(handle);
    },
  };
}

/**
 * The connection string of a Factdesk's server that runs on DATA_DIR now, for
 * tools (backups, new accounts) that must not start a second server on it;
 * undefined when none runs.
 */
export async function runningEmbeddedUrl(dataDir: string): Promise<string | undefined> {
  const bins = await findBinaries();
  const handle: ClusterHandle = { bins, dir: path.join(dataDir, CLUSTER_DIR), user: databaseOsUser() };
  if (inspectDataFolder(dataDir).kind !== 'cluster' || !(await isRunning(handle))) return undefined;
  return connectionUrl(await chooseEndpoint(handle.dir, handle.user), readPassword(handle.dir), APP_DATABASE);
}

function readPassword(clusterDir: string): string {
  return readFileSync(path.join(clusterDir, PASSWORD_FILE), 'utf8').trim();
}

// DATA_DIR is the app's alone (0700). When the app runs as root, the database's
// own account must pass through it to its cluster: 0711 lets it enter without
// listing anything; everything inside stays closed (cluster 0700, secrets 0600).
function prepareDataDir(dataDir: string, otherAccount: boolean): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (process.platform !== 'win32') chmodSync(dataDir, otherAccount ? 0o711 : 0o700);
}

function keepAside(dataDir: string): string {
  const aside = path.join(dataDir, `${LEGACY_DIR}-pglite-${new Date().toISOString().slice(0, 10)}`);
  let target = aside;
  for (let n = 2; existsSync(target); n++) target = `${aside}-${n}`;
  renameSync(path.join(dataDir, LEGACY_DIR), target);
  syncFolder(dataDir);
  return target;
}
