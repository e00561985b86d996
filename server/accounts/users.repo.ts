import type { Db } from '../platform/database.ts';
import type { Actor, Role } from '../platform/policies.ts';
import type { SessionAccountLookup } from '../platform/session.ts';

/** An account as the admin pages and commands see it (never the password hash). */
export interface User extends Actor {
  disabled: boolean;
  lastSignInAt: Date | null;
  createdAt: Date;
  hasPassword: boolean;
  /** Whether the report page suggests checkable sentences to them (their choice on the account page). */
  showSuggestions: boolean;
}

interface UserRow {
  id: number;
  email: string;
  display_name: string;
  role: Role;
  disabled: boolean;
  last_sign_in_at: Date | null;
  created_at: Date;
  has_password: boolean;
  show_suggestions: boolean;
}

// The hash itself is read only where a password is checked (findCredentials, passwordHashOf).
const BASE_COLUMNS = ['id', 'email', 'display_name', 'role', 'disabled', 'last_sign_in_at', 'created_at', 'show_suggestions'];
const columns = (db: Db) => [...BASE_COLUMNS, db.raw('password_hash IS NOT NULL AS has_password')];

function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    role: row.role,
    disabled: row.disabled,
    lastSignInAt: row.last_sign_in_at,
    createdAt: row.created_at,
    hasPassword: row.has_password,
    showSuggestions: row.show_suggestions,
  };
}

/** The account as findUserById reads it, read in the same query as the session (server/platform/session.ts). */
export const ACCOUNT_WITH_SESSION: SessionAccountLookup = {
  table: 'users',
  columns: [...BASE_COLUMNS.map((c) => `a.${c}`), 'a.password_hash IS NOT NULL AS has_password'].join(', '),
  fromRow: (row) => toUser(row as unknown as UserRow),
};

/** The account with this id, or null. */
export async function findUserById(db: Db, id: number): Promise<User | null> {
  const row = (await db('users').select(columns(db)).where({ id }).first()) as UserRow | undefined;
  return row ? toUser(row) : null;
}

/** The user and their password hash, for sign-in only. */
export async function findCredentials(db: Db, email: string): Promise<{ user: User; passwordHash: string | null } | null> {
  const row = (await db('users').select([...columns(db), 'password_hash']).whereRaw('lower(email) = lower(?)', [email]).first()) as
    | (UserRow & { password_hash: string | null })
    | undefined;
  return row ? { user: toUser(row), passwordHash: row.password_hash } : null;
}

/** The stored password hash of an account (null when it has none yet). */
export async function passwordHashOf(db: Db, id: number): Promise<string | null> {
  const row = (await db('users').select('password_hash').where({ id }).first()) as { password_hash: string | null } | undefined;
  return row?.password_hash ?? null;
}

/** Every account: enabled ones first, then by name. */
export async function listUsers(db: Db): Promise<User[]> {
  const rows = (await db('users').select(columns(db)).orderByRaw('disabled, lower(display_name), id')) as UserRow[];
  return rows.map(toUser);
}

/** Holds the first-run lock until the transaction ends, so two setups at once create one admin. */
export async function lockFirstRun(trx: Db): Promise<void> {
  await trx.raw("SELECT pg_advisory_xact_lock(hashtext('factdesk.first_run'))");
}

/** Whether any account exists yet (the first run asks). */
export async function anyUserExists(db: Db): Promise<boolean> {
  const row = await db.raw<{ rows: { exists: boolean }[] }>('SELECT EXISTS (SELECT 1 FROM users) AS exists');
  return row.rows[0]?.exists === true;
}

/** Whether another account already uses this email address (case-insensitive). */
export async function emailTaken(db: Db, email: string, exceptId?: number): Promise<boolean> {
  const q = db('users').whereRaw('lower(email) = lower(?)', [email]);
  if (exceptId !== undefined) q.whereNot({ id: exceptId });
  return (await q.first('id')) !== undefined;
}

export interface NewUser {
  email: string;
  displayName: string;
  role: Role;
  passwordHash: string | null;
}

/** True when an insert or update failed because another account already has that email (the unique index on lower(email)). */
export function isEmailTakenError(err: unknown): boolean {
  const e = err as { code?: unknown; constraint?: unknown } | null;
  return e?.code === '23505' && e.constraint === 'users_email_unique';
}

/** Adds an account. */
export async function insertUser(db: Db, user: NewUser): Promise<User> {
  const [row] = (await db('users')
    .insert({ email: user.email, display_name: user.displayName, role: user.role, password_hash: user.passwordHash })
    .returning(BASE_COLUMNS)) as Omit<UserRow, 'has_password'>[];
  return toUser({ ...row!, has_password: user.passwordHash !== null });
}

/** Changes an account's name, role, disabled flag, password or reading preferences. */
export async function updateUser(
  db: Db,
  id: number,
  changes: Partial<{ displayName: string; role: Role; disabled: boolean; passwordHash: string; lastSignInAt: Date; showSuggestions: boolean }>,
): Promise<void> {
  const row: Record<string, unknown> = {};
  if (changes.displayName !== undefined) row.display_name = changes.displayName;
  if (changes.role !== undefined) row.role = changes.role;
  if (changes.disabled !== undefined) row.disabled = changes.disabled;
  if (changes.passwordHash !== undefined) row.password_hash = changes.passwordHash;
  if (changes.showSuggestions !== undefined) row.show_suggestions = changes.showSuggestions;
  if (changes.lastSignInAt !== undefined) row.last_sign_in_at = changes.lastSignInAt;
  else row.updated_at = db.fn.now();
  await db('users').where({ id }).update(row);
}

/** Ids of enabled admins, locked until the transaction ends (the last-admin rule reads this). */
export async function lockEnabledAdmins(trx: Db): Promise<number[]> {
  const rows = await trx('users').select('id').where({ role: 'admin', disabled: false }).forUpdate();
  return rows.map((r: { id: number }) => r.id);
}

/** Ends a user's sessions (all, or all but one), e.g. when disabled or after a password change. */
export async function deleteSessionsOf(db: Db, userId: number, exceptSid?: string): Promise<number> {
  const q = db('session').whereRaw("(sess -> 'passport' ->> 'user') = ?", [String(userId)]);
  if (exceptSid) q.whereNot({ sid: exceptSid });
  return q.delete();
}
