import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../platform/database.ts';
import { NotFoundError } from '../platform/errors.ts';
import { can, type Actor } from '../platform/policies.ts';
import { findToken, holderOfHash, insertToken, revokeTokenRow, touchToken, type TokenScope } from './api-tokens.repo.ts';

/** How a token starts: it says what it is when found in a log or a repository, and secret scanners can look for it. */
export const TOKEN_PREFIX = 'fdk_';
/** The expiries offered, in days. */
export const TOKEN_LIFETIMES = ['7', '30', '90', '365'] as const;

const hashOf = (secret: string) => createHash('sha256').update(secret, 'utf8').digest('hex');

/** Makes a token for the actor; its secret is returned this once and never kept. */
export async function createApiToken(db: Db, actor: Actor, input: { name: string; scope: TokenScope; lifetimeDays: number }, now = new Date()): Promise<{ id: number; secret: string }> {
  const secret = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const expiresAt = new Date(now.getTime() + input.lifetimeDays * 24 * 3600 * 1000);
  const id = await insertToken(db, { userId: actor.id, name: input.name, hash: hashOf(secret), hint: `${TOKEN_PREFIX}…${secret.slice(-4)}`, scope: input.scope, expiresAt });
  return { id, secret };
}

/** Revokes a token: its owner may, and an admin may revoke anyone's. Revoking twice is no error. */
export async function revokeApiToken(db: Db, actor: Actor, tokenId: number): Promise<void> {
  const token = await findToken(db, tokenId);
  // Someone else's token is not shown to a person who may not revoke it: a 404, as for one that does not exist.
  if (!token || (token.userId !== actor.id && !can(actor, 'tokens.admin'))) throw new NotFoundError('There is no such token.');
  await revokeTokenRow(db, tokenId, actor.id);
}

/** Why a token was not accepted, in words for the API's 401. */
export type TokenRefusal = 'unknown' | 'expired' | 'revoked' | 'disabled';

/** The user and scope a token stands for, or why it does not. Notes the use. */
export async function authenticateToken(db: Db, secret: string): Promise<{ ok: true; user: Actor & { showSuggestions: boolean }; tokenId: number; scope: TokenScope } | { ok: false; why: TokenRefusal }> {
  if (!secret.startsWith(TOKEN_PREFIX) || secret.length > 200) return { ok: false, why: 'unknown' };
  const holder = await holderOfHash(db, hashOf(secret));
  if (!holder) return { ok: false, why: 'unknown' };
  if (holder.revoked) return { ok: false, why: 'revoked' };
  if (holder.expired) return { ok: false, why: 'expired' };
  if (holder.user.disabled) return { ok: false, why: 'disabled' };
  await touchToken(db, holder.tokenId);
  const { id, email, displayName, role, showSuggestions } = holder.user;
  return { ok: true, user: { id, email, displayName, role, showSuggestions }, tokenId: holder.tokenId, scope: holder.scope };
}
