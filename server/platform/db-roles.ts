import type { Db } from './database.ts';

/**
 * The two database roles Factdesk works with:
 * - the owner owns the tables and runs the migrations (DDL);
 * - the runtime role serves the requests, with only the rights below.
 * Whoever holds the runtime role's password (a leaked connection string, an
 * injection) can neither change the schema nor switch off the triggers that
 * guard the state machine, nor rewrite history.
 */
type Right = 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE';

const READ: Right[] = ['SELECT'];
const APPEND: Right[] = ['SELECT', 'INSERT'];
const EDIT: Right[] = ['SELECT', 'INSERT', 'UPDATE'];
const ALL: Right[] = ['SELECT', 'INSERT', 'UPDATE', 'DELETE'];

/**
 * What the runtime role may do with each table: the one list of it. A table
 * that is not here gets nothing (test/security/runtime-role.test.ts insists
 * that every table of the schema is listed).
 */
export const RUNTIME_RIGHTS: Readonly<Record<string, Right[]>> = {
  users: EDIT,
  session: ALL,
  login_limits: ALL,
  password_links: EDIT,
  reports: EDIT,
  report_revisions: APPEND,
  sources: EDIT,
  claims: EDIT,
  evidence_links: ALL,
  claim_repeats: ALL,
  verdict_labels: ALL,
  source_citations: ALL,
  source_origin_pairs: ALL,
  claim_selections: EDIT,
  saved_views: ALL,
  report_suggestions: EDIT,
  // Revoked, never deleted: who revoked which token stays on record.
  api_tokens: EDIT,
  // Webhooks: admins add and delete endpoints (a delete takes the endpoint's deliveries and attempts with it);
  // the database's trigger writes the deliveries, the dispatcher keeps their state.
  webhook_endpoints: ALL,
  webhook_deliveries: EDIT,
  // The history and what was said and sent out: written once, never changed.
  claim_events: APPEND,
  comments: APPEND,
  export_log: APPEND,
  webhook_attempts: APPEND,
  // Kept by the owner's trigger functions, read by the pages.
  claim_status_counts: READ,
  // Made by the migrations; the app only reads them.
  app_secrets: READ,
  knex_migrations: READ,
  knex_migrations_lock: READ,
};

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** A role or schema name the app makes or is given, checked before it is put into SQL. */
export function checkIdentifier(name: string, what: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`${what} "${name}" must be lower-case letters, digits and underscores`);
  return name;
}

/**
 * Gives the runtime role exactly its rights on the tables of the owner's
 * current schema (and takes away any others). Run by the owner after the
 * migrations, so a table a new migration makes gets its rights at once.
 */
export async function grantRuntimeRights(owner: Db, runtimeRole: string): Promise<void> {
  checkIdentifier(runtimeRole, 'The runtime role');
  const { rows } = await owner.raw<{ rows: { schema: string; table: string }[] }>(
    `SELECT current_schema() AS schema, c.relname AS table
       FROM pg_class c
      WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')
      ORDER BY c.relname`,
  );
  const schema = rows[0]?.schema ?? ((await owner.raw<{ rows: { s: string }[] }>('SELECT current_schema() AS s')).rows[0]!.s);
  await owner.raw('GRANT USAGE ON SCHEMA ?? TO ??', [schema, runtimeRole]);
  await owner.raw('REVOKE CREATE ON SCHEMA ?? FROM ??', [schema, runtimeRole]);
  for (const { table } of rows) {
    await owner.raw('REVOKE ALL ON TABLE ?? FROM ??', [`${schema}.${table}`, runtimeRole]);
    const rights = RUNTIME_RIGHTS[table];
    if (rights) await owner.raw(`GRANT ${rights.join(', ')} ON TABLE ?? TO ??`, [`${schema}.${table}`, runtimeRole]);
  }
}

/** Who the connection is in the database, for the warning at start-up. */
export interface RoleStanding {
  role: string;
  superuser: boolean;
  /** Owns the schema's tables, so it could alter them or switch their triggers off. */
  ownsTables: boolean;
}

export async function roleStanding(db: Db): Promise<RoleStanding> {
  const { rows } = await db.raw<{ rows: { role: string; superuser: boolean; owns_tables: boolean }[] }>(
    `SELECT current_user AS role,
            (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser,
            EXISTS (SELECT 1 FROM pg_class c
                     WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r'
                       AND pg_has_role(current_user, c.relowner, 'USAGE')) AS owns_tables`,
  );
  const row = rows[0]!;
  return { role: row.role, superuser: row.superuser, ownsTables: row.owns_tables };
}

/** The one line the app logs when it serves requests with more power than it needs; null when it does not. */
export function standingWarning(s: RoleStanding): string | null {
  const fix = 'give DATABASE_URL the runtime role and DATABASE_MIGRATION_URL the owner (README: "Running on a PostgreSQL server")';
  if (s.superuser) return `Factdesk serves requests as the PostgreSQL superuser "${s.role}", which can switch off every safeguard in the database: ${fix}`;
  if (s.ownsTables) return `Factdesk serves requests as "${s.role}", the owner of its tables, which can alter them and switch off their safeguards: ${fix}`;
  return null;
}
