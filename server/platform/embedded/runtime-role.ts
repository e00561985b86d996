import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The role the app serves requests with on its embedded server (the cluster's own user owns the tables). */
export const RUNTIME_ROLE = 'factdesk_app';

/**
 * Makes sure the runtime role exists, as a plain login role, and gives it a
 * new password for this run; returns the connection string with it. The
 * password is never written down: only this process connects with it, and
 * tools beside a running desk (backups, new accounts) connect as the owner.
 */
export async function prepareRuntimeRole(ownerUrl: string): Promise<string> {
  const password = randomBytes(24).toString('base64url');
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [RUNTIME_ROLE]);
    const attributes = `LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD ${client.escapeLiteral(password)}`;
    await client.query(`${rowCount ? 'ALTER' : 'CREATE'} ROLE ${RUNTIME_ROLE} ${attributes}`);
  } finally {
    await client.end();
  }
  const url = new URL(ownerUrl);
  url.username = RUNTIME_ROLE;
  url.password = password;
  return url.toString();
}
