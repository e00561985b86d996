// `npm run demo`: Factdesk on a throw-away embedded database holding the
// sample newsroom, with three demo accounts whose passwords are printed.
// Nothing is kept: the data folder is deleted when the server stops.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createApiToken } from '../accounts/api-tokens.ts';
import { hashPassword } from '../accounts/passwords.ts';
import { insertUser } from '../accounts/users.repo.ts';
import { loadSampleNewsroom } from '../demo/load.ts';
import { openDatabase } from '../platform/database.ts';
import { prepareDatabase } from '../platform/prepare-database.ts';

// Read before they are overridden below: a folder or server named on purpose is
// never where the sample newsroom goes, and the person is told so.
const ignored = [
  process.env.DATA_DIR ? `DATA_DIR (${process.env.DATA_DIR})` : null,
  process.env.DATABASE_URL ? 'DATABASE_URL' : null,
].filter((name): name is string => name !== null);

const dataDir = mkdtempSync(path.join(tmpdir(), 'factdesk-demo-'));
process.on('exit', () => {
  // Normally the server has stopped with Factdesk by now; after an uncaught
  // error it may still run, and must not outlive the folder it is deleted from.
  try {
    process.kill(Number(readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]), 'SIGQUIT');
  } catch {
    // Not running.
  }
  rmSync(dataDir, { recursive: true, force: true });
});

const accounts = [
  { role: 'admin', email: 'admin@demo.factdesk.test', displayName: 'Ada Admin' },
  { role: 'editor', email: 'editor@demo.factdesk.test', displayName: 'Eli Editor' },
  { role: 'reviewer', email: 'reviewer@demo.factdesk.test', displayName: 'Rosa Reviewer' },
] as const;

const database = await openDatabase({ dataDir });
await prepareDatabase(database);
const passwords = new Map<string, string>();
const created = [];
for (const a of accounts) {
  const password = `demo-${randomBytes(9).toString('base64url')}`;
  passwords.set(a.email, password);
  created.push(await insertUser(database.db, { ...a, passwordHash: await hashPassword(password) }));
}
await loadSampleNewsroom(database.db, { editor: created[1]!, reviewer: created[2]! });
// Tokens for the API examples of the README, made as the account page makes them.
const tokens = [
  { role: 'editor', secret: (await createApiToken(database.db, created[1]!, { name: 'Demo', scope: 'write', lifetimeDays: 7 })).secret },
  { role: 'reviewer', secret: (await createApiToken(database.db, created[2]!, { name: 'Demo', scope: 'write', lifetimeDays: 7 })).secret },
];
await database.close();

console.log('\nFactdesk demo: a throw-away desk with the sample newsroom. Sign in with:\n');
for (const a of accounts) console.log(`  ${a.role.padEnd(9)} ${a.email.padEnd(28)} ${passwords.get(a.email)}`);
console.log('\nAPI tokens (README, "API and webhooks"):\n');
for (const t of tokens) console.log(`  ${t.role.padEnd(9)} ${t.secret}`);
console.log(`\nThen open http://localhost:${process.env.PORT || 3000} in your browser. Data is kept in ${dataDir} until the server stops (Ctrl-C).`);
if (ignored.length > 0) {
  console.log(
    `The demo always uses a throw-away database and ignores ${ignored.join(' and ')}: nothing is loaded into your own data. To run Factdesk on your data, use npm start.`,
  );
}
console.log('');

process.env.DATA_DIR = dataDir;
process.env.DATABASE_URL = '';
await import('../main.ts');
