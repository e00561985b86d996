import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../platform/database.ts';

/** How long a set-password link works. */
export const LINK_LIFETIME_HOURS = { invite: 72, reset: 24 } as const;
export type LinkPurpose = keyof typeof LINK_LIFETIME_HOURS;

const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** Makes a one-use link token for a user; only its hash is stored. Returns the token to show once. */
export async function createPasswordLink(db: Db, userId: number, purpose: LinkPurpose, createdBy: number | null): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  // A new link replaces any unused one for the same account.
  await db('password_links').where({ user_id: userId }).whereNull('used_at').update({ used_at: db.fn.now() });
  await db('password_links').insert({
    user_id: userId,
    token_hash: hashToken(token),
    purpose,
    created_by: createdBy,
    expires_at: db.raw(`now() + interval '${LINK_LIFETIME_HOURS[purpose]} hours'`),
  });
  return token;
}

/** The user a live (unused, unexpired) link belongs to, or null. */
export async function findLiveLink(db: Db, token: string): Promise<{ id: number; userId: number } | null> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  const row = await db('password_links')
    .select('id', 'user_id')
    .where({ token_hash: hashToken(token) })
    .whereNull('used_at')
    .where('expires_at', '>', db.fn.now())
    .first();
  return row ? { id: row.id as number, userId: row.user_id as number } : null;
}

/** Marks a link used; false if another request used it first. */
export async function useLink(trx: Db, linkId: number): Promise<boolean> {
  const n = await trx('password_links').where({ id: linkId }).whereNull('used_at').update({ used_at: trx.fn.now() });
  return n === 1;
}
