import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError } from '../config.ts';
import { giveTo, type OsUser } from './os-user.ts';

/** The file postgresql.conf includes; written anew at every start so it follows the folder if it moves. */
export const SETTINGS_FILE = 'factdesk.conf';
/** The line initdb's postgresql.conf gets, once, when the cluster is made. */
export const INCLUDE_LINE = `\n# Factdesk's settings (rewritten at every start)\ninclude_if_exists = '${SETTINGS_FILE}'\n`;

/** How the app reaches its server: a Unix socket folder, or (Windows) a loopback port. */
export interface Endpoint {
  host: string;
  port: number;
}

const PORT = 5432;
// sun_path holds 108 bytes on Linux and 104 on macOS, with the name ".s.PGSQL.5432.lock" inside.
const SOCKET_PATH_MAX = 100;

/**
 * Where the server listens. The socket lives in the cluster folder (0700, the
 * database account's own), so no other local account can even reach it; a
 * folder too deep for a socket's path gets a private folder in the system's
 * temporary folder instead. Windows has no such sockets: a free loopback port.
 */
export async function chooseEndpoint(clusterDir: string, user: OsUser | undefined): Promise<Endpoint> {
  if (process.platform === 'win32') return { host: '127.0.0.1', port: await freePort() };
  if (Buffer.byteLength(path.join(clusterDir, '.s.PGSQL.5432.lock')) <= SOCKET_PATH_MAX) return { host: clusterDir, port: PORT };
  return { host: privateSocketFolder(clusterDir, user), port: PORT };
}

/** Writes the settings the server starts with: where it listens, its logs, sizes for one app. */
export function writeSettings(clusterDir: string, endpoint: Endpoint, user: OsUser | undefined): void {
  const onSocket = endpoint.host.startsWith('/');
  const lines = [
    '# Written by Factdesk at every start; changes here are overwritten.',
    `listen_addresses = '${onSocket ? '' : endpoint.host}'`,
    `port = ${endpoint.port}`,
    `unix_socket_directories = '${onSocket ? quote(endpoint.host) : ''}'`,
    'unix_socket_permissions = 0700',
    "password_encryption = 'scram-sha-256'",
    'max_connections = 60',
    // A week of logs in the cluster's log/ folder, one file per weekday, overwritten a week later.
    'logging_collector = on',
    "log_directory = 'log'",
    "log_filename = 'postgresql-%a.log'",
    'log_truncate_on_rotation = on',
    'log_rotation_age = 1d',
    'log_rotation_size = 0',
    '',
  ];
  const file = path.join(clusterDir, SETTINGS_FILE);
  writeFileSync(file, lines.join('\n'), { mode: 0o600 });
  giveTo(user, file);
}

/** The connection string for the app's own role over the endpoint. */
export function connectionUrl(endpoint: Endpoint, password: string, database: string): string {
  return `postgres://factdesk:${encodeURIComponent(password)}@${encodeURIComponent(endpoint.host)}:${endpoint.port}/${database}`;
}

function quote(value: string): string {
  return value.replaceAll("'", "''");
}

// A folder named after the cluster's path, refused unless it is really ours:
// a folder someone else made there first must not receive our socket.
function privateSocketFolder(clusterDir: string, user: OsUser | undefined): string {
  const dir = path.join(tmpdir(), `factdesk-${createHash('sha256').update(clusterDir).digest('hex').slice(0, 16)}`);
  try {
    mkdirSync(dir, { mode: 0o700 });
    giveTo(user, dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const st = lstatSync(dir);
  const owner = user?.uid ?? process.getuid?.();
  if (!st.isDirectory() || st.uid !== owner || (st.mode & 0o077) !== 0) {
    throw new ConfigError(`the socket folder ${dir} exists but is not Factdesk's own private folder: remove it, or choose a shorter DATA_DIR`);
  }
  return dir;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
