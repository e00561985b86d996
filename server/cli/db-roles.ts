// `npm run db:roles`: makes the two roles Factdesk runs with on a PostgreSQL
// server, as a superuser of that server (DATABASE_ADMIN_URL names it and the
// database), and prints the two connection strings to start Factdesk with:
//   DATABASE_URL            the runtime role, which serves the requests;
//   DATABASE_MIGRATION_URL  the owner, which owns the tables and migrates them.
// Run again, it gives both roles new passwords and hands any table of the
// schema that another role owns (a desk that ran as postgres) to the owner.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { checkIdentifier, grantRuntimeRights } from '../platform/db-roles.ts';
import { openKnex } from '../platform/database.ts';

const USAGE = `Usage: DATABASE_ADMIN_URL=postgres://postgres@host/factdesk npm run db:roles [-- --owner NAME --runtime NAME]
(defaults: factdesk_owner and factdesk_app; FACTDESK_OWNER_PASSWORD and FACTDESK_APP_PASSWORD set the passwords, else they are generated)`;

class UsageError extends Error {}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { owner: { type: 'string', default: 'factdesk_owner' }, runtime: { type: 'string', default: 'factdesk_app' } } });
  const adminUrl = process.env.DATABASE_ADMIN_URL;
  if (!adminUrl || !/^postgres(ql)?:\/\/./.test(adminUrl)) throw new UsageError(USAGE);
  const owner = checkIdentifier(values.owner, 'The owner role');
  const runtime = checkIdentifier(values.runtime, 'The runtime role');
  if (owner === runtime) throw new UsageError('The owner and the runtime role must be two roles.');
  const passwords = {
    owner: process.env.FACTDESK_OWNER_PASSWORD || randomBytes(24).toString('base64url'),
    runtime: process.env.FACTDESK_APP_PASSWORD || randomBytes(24).toString('base64url'),
  };

  const admin = openKnex(adminUrl, { poolMax: 1 });
  try {
    const { rows } = await admin.raw<{ rows: { superuser: boolean; database: string; schema: string }[] }>(
      'SELECT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser, current_database() AS database, current_schema() AS schema',
    );
    const { superuser, database, schema } = rows[0]!;
    if (!superuser) throw new UsageError('DATABASE_ADMIN_URL must name a superuser of the server (it creates roles and hands tables over).');
    await admin.transaction(async (trx) => {
      for (const [role, password] of [[owner, passwords.owner], [runtime, passwords.runtime]] as const) {
        const exists = (await trx.raw<{ rowCount: number }>('SELECT 1 FROM pg_roles WHERE rolname = ?', [role])).rowCount > 0;
        const literal = (await trx.raw<{ rows: { l: string }[] }>('SELECT quote_literal(?) AS l', [password])).rows[0]!.l;
        await trx.raw(`${exists ? 'ALTER' : 'CREATE'} ROLE ?? LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD ${literal}`, [role]);
      }
      await trx.raw('GRANT CONNECT ON DATABASE ?? TO ??, ??', [database, owner, runtime]);
      await trx.raw('GRANT USAGE, CREATE ON SCHEMA ?? TO ??', [schema, owner]);
      await trx.raw('REVOKE CREATE ON SCHEMA ?? FROM PUBLIC', [schema]);
      await handOver(trx, schema, owner);
      await grantRuntimeRights(trx, runtime);
    });
  } finally {
    await admin.destroy();
  }
  const url = (role: string, password: string) => {
    const u = new URL(adminUrl);
    u.username = role;
    u.password = password;
    return u.toString();
  };
  console.log(`Roles ready: ${owner} owns the tables and migrates them; ${runtime} serves the requests with only the rights it needs.`);
  console.log('Start Factdesk with (keep these secret, as you keep any password):\n');
  console.log(`DATABASE_URL=${url(runtime, passwords.runtime)}`);
  console.log(`DATABASE_MIGRATION_URL=${url(owner, passwords.owner)}`);
}

/** Gives the owner every table, sequence, view and function of the schema that another role owns. */
async function handOver(trx: Parameters<typeof grantRuntimeRights>[0], schema: string, owner: string): Promise<void> {
  const { rows: relations } = await trx.raw<{ rows: { name: string; kind: string }[] }>(
    `SELECT c.oid::regclass::text AS name, c.relkind AS kind FROM pg_class c
      WHERE c.relnamespace = ?::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
        AND c.relowner <> (SELECT oid FROM pg_roles WHERE rolname = ?)
        -- a sequence that belongs to a column moves with its table; an extension's objects stay its own
        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.classid = 'pg_class'::regclass
                         AND (d.deptype = 'e' OR (c.relkind = 'S' AND d.deptype IN ('a', 'i'))))`,
    [schema, owner],
  );
  const KIND: Record<string, string> = { r: 'TABLE', p: 'TABLE', v: 'VIEW', m: 'MATERIALIZED VIEW', f: 'FOREIGN TABLE', S: 'SEQUENCE' };
  for (const r of relations) await trx.raw(`ALTER ${KIND[r.kind]} ${r.name} OWNER TO ??`, [owner]);
  const { rows: functions } = await trx.raw<{ rows: { name: string }[] }>(
    `SELECT p.oid::regprocedure::text AS name FROM pg_proc p
      WHERE p.pronamespace = ?::regnamespace AND p.proowner <> (SELECT oid FROM pg_roles WHERE rolname = ?)
        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.classid = 'pg_proc'::regclass AND d.deptype = 'e')`,
    [schema, owner],
  );
  for (const f of functions) await trx.raw(`ALTER FUNCTION ${f.name} OWNER TO ??`, [owner]);
}

try {
  await main();
} catch (err) {
  console.error(err instanceof UsageError ? err.message : `Setting up the roles failed: ${(err as Error).message}`);
  process.exitCode = 1;
}
