import type { Db } from '../platform/database.ts';
import type { Role } from '../platform/policies.ts';

export type TokenScope = 'read' | 'write';

/** A token as its owner and the admins see it: never the secret, which is not kept. */
export interface ApiToken {
  id: number;
  userId: number;
  ownerName: string;
  name: string;
  hint: string;
  scope: TokenScope;
  expiresAt: Date;
  lastUsedAt: Date | null;
  createdAt: Date;
  revokedAt: Date | null;
  revokedByName: string | null;
}

const COLUMNS = `t.id, t.user_id AS "userId", u.display_name AS "ownerName", t.name, t.hint, t.scope, t.expires_at AS "expiresAt",
  t.last_used_at AS "lastUsedAt", t.created_at AS "createdAt", t.revoked_at AS "revokedAt", rb.display_name AS "revokedByName"`;

const listed = (db: Db) =>
  db('api_tokens as t').join('users as u', 'u.id', 't.user_id').leftJoin('users as rb', 'rb.id', 't.revoked_by').select(db.raw(COLUMNS));

/** One person's tokens, newest first. */
export async function tokensOf(db: Db, userId: number): Promise<ApiToken[]> {
  return (await listed(db).where('t.user_id', userId).orderBy([{ column: 't.created_at', order: 'desc' }, { column: 't.id', order: 'desc' }])) as ApiToken[];
}

/** Every token of the desk, the live ones first, newest first (the admins' page). */
export async function allTokens(db: Db, limit = 500): Promise<ApiToken[]> {
  return (await listed(db).orderByRaw('t.revoked_at IS NOT NULL, t.expires_at < now(), t.created_at DESC, t.id DESC').limit(limit)) as ApiToken[];
}

export async function findToken(db: Db, id: number): Promise<ApiToken | null> {
  return ((await listed(db).where('t.id', id).first()) as ApiToken | undefined) ?? null;
}

export async function insertToken(db: Db, token: { userId: number; name: string; hash: string; hint: string; scope: TokenScope; expiresAt: Date }): Promise<number> {
  const [row] = (await db('api_tokens')
    .insert({ user_id: token.userId, name: token.name, token_hash: token.hash, hint: token.hint, scope: token.scope, expires_at: token.expiresAt })
    .returning('id')) as { id: number }[];
  return row!.id;
}

/** Revokes a live token; false when it was already revoked. */
export async function revokeTokenRow(db: Db, id: number, revokedBy: number): Promise<boolean> {
  return (await db('api_tokens').where({ id }).whereNull('revoked_at').update({ revoked_at: db.fn.now(), revoked_by: revokedBy })) === 1;
}

/** What a token hash stands for: the token and its user, whatever their state (the caller says why it is refused). */
export interface TokenHolder {
  tokenId: number;
  scope: TokenScope;
  expired: boolean;
  revoked: boolean;
  user: { id: number; email: string; displayName: string; role: Role; disabled: boolean; showSuggestions: boolean };
}

export async function holderOfHash(db: Db, hash: string): Promise<TokenHolder | null> {
  const row = (await db('api_tokens as t')
    .join('users as u', 'u.id', 't.user_id')
    .where('t.token_hash', hash)
    .first(
      db.raw(`t.id AS "tokenId", t.scope, t.expires_at <= now() AS expired, t.revoked_at IS NOT NULL AS revoked,
        u.id, u.email, u.display_name AS "displayName", u.role, u.disabled, u.show_suggestions AS "showSuggestions"`),
    )) as (Omit<TokenHolder, 'user'> & TokenHolder['user']) | undefined;
  if (!row) return null;
  const { tokenId, scope, expired, revoked, ...user } = row;
  return { tokenId, scope, expired, revoked, user };
}

/** Notes that a token was used, at most once a minute (not a write per request). */
export async function touchToken(db: Db, id: number): Promise<void> {
  await db('api_tokens').where({ id }).andWhere((q) => q.whereNull('last_used_at').orWhereRaw("last_used_at < now() - interval '1 minute'")).update({ last_used_at: db.fn.now() });
}
