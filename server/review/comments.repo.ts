import type { Db } from '../platform/database.ts';

/** Adds a comment to a claim's thread; the database refuses edits and deletions of comments. */
export async function insertComment(trx: Db, comment: { claimId: number; authorId: number; body: string }): Promise<number> {
  const [row] = await trx('comments').insert({ claim_id: comment.claimId, author_id: comment.authorId, body: comment.body }).returning('id');
  return (row as { id: number }).id;
}

/** A comment as the API lists it. */
export interface CommentRow {
  id: number;
  claimId: number;
  authorName: string;
  body: string;
  createdAt: Date;
}

/** A claim's comments, oldest first. */
export async function commentsOfClaim(db: Db, claimId: number): Promise<CommentRow[]> {
  return (await db('comments as c')
    .join('users as u', 'u.id', 'c.author_id')
    .where('c.claim_id', claimId)
    .orderBy([{ column: 'c.created_at' }, { column: 'c.id' }])
    .select(db.raw('c.id, c.claim_id AS "claimId", u.display_name AS "authorName", c.body, c.created_at AS "createdAt"'))) as CommentRow[];
}

/** One comment, or null. */
export async function findComment(db: Db, id: number): Promise<CommentRow | null> {
  const row = (await db('comments as c')
    .join('users as u', 'u.id', 'c.author_id')
    .where('c.id', id)
    .first(db.raw('c.id, c.claim_id AS "claimId", u.display_name AS "authorName", c.body, c.created_at AS "createdAt"'))) as CommentRow | undefined;
  return row ?? null;
}
