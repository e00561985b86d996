import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { databaseProcesses } from '../support/embedded-processes.ts';
import { startServer, type RunningServer } from '../support/process.ts';

/** The TCP ports a process listens on, from /proc (its socket inodes matched against the kernel's listening sockets). */
function listeningTcpPorts(pid: number): number[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]!);
    } catch {
      // Closed meanwhile.
    }
  }
  const ports: number[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length > 9 && f[3] === '0A' && inodes.has(f[9]!)) ports.push(parseInt(f[1]!.split(':')[1]!, 16));
    }
  }
  return ports;
}

describe('the embedded database is private to the app', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'factdesk-private-'));
  const cluster = path.join(dataDir, 'postgres');
  let server: RunningServer;
  before(async () => {
    server = await startServer({ DATA_DIR: dataDir, DATABASE_URL: '' });
  });
  after(async () => {
    await server?.stop('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('the only TCP port the app and its database listen on is the HTTP port', { skip: process.platform === 'linux' ? false : 'reads /proc, which only Linux has' }, () => {
    const processes = [server.child.pid!, ...databaseProcesses(dataDir)];
    assert.ok(processes.length > 2, 'the database server and its helper processes were found');
    const ports = processes.flatMap(listeningTcpPorts);
    assert.deepEqual(ports, [server.port]);
    console.log(`no TCP listener but HTTP: ${processes.length} processes checked, listening on ${ports.join(', ')}`);
  });

  test('the socket lives in the cluster folder, which no other account may enter', () => {
    const sockets = readdirSync(cluster).filter((n) => n.startsWith('.s.PGSQL.'));
    assert.deepEqual(sockets.sort(), ['.s.PGSQL.5432', '.s.PGSQL.5432.lock']);
    assert.equal(statSync(cluster).mode & 0o077, 0, 'the cluster folder is 0700');
    assert.equal(statSync(path.join(cluster, 'factdesk-password')).mode & 0o077, 0, 'the password file is 0600');
    assert.equal(statSync(dataDir).mode & 0o066, 0, 'DATA_DIR lets no other account read or write it');
  });

  test('a connection without the app’s password is refused, even through the socket', async () => {
    for (const password of [undefined, 'guess', '']) {
      const client = new pg.Client({ host: cluster, port: 5432, user: 'factdesk', database: 'factdesk', ...(password !== undefined ? { password } : {}) });
      client.on('error', () => undefined);
      await assert.rejects(client.connect(), /password/, `password ${JSON.stringify(password)}`);
      await client.end().catch(() => undefined);
    }
    for (const user of ['postgres', 'root']) {
      const client = new pg.Client({ host: cluster, port: 5432, user, database: 'postgres', password: 'guess' });
      client.on('error', () => undefined);
      await assert.rejects(client.connect(), /password|role/, `as ${user}`);
      await client.end().catch(() => undefined);
    }
  });

  test('a local account that is not the app cannot reach the socket at all', { skip: process.getuid?.() === 0 ? false : 'needs root to act as another account' }, () => {
    const probe = `require('net').connect(${JSON.stringify(path.join(cluster, '.s.PGSQL.5432'))}).on('connect', () => { console.log('connected'); process.exit(0) }).on('error', (e) => { console.log(e.code); process.exit(0) })`;
    const out = execFileSync(process.execPath, ['-e', probe], { uid: 65534, gid: 65534, encoding: 'utf8', cwd: '/' }).trim();
    assert.equal(out, 'EACCES', 'the account nobody is refused by the file system');
  });
});
