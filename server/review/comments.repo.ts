import type { Db } from '../platform/database.ts';

/** Adds a comment to a claim's thread; the database refuses edits and deletions of comments. */
export async function insertComment(trx: Db, comment: { claimId: number; authorId: number; body: string }): Promise<number> {
  const [row] = await trx('comments').insert({ claim_id: comment.claimId, author_id: comment.authorId, body: comment.body }).returning('id');
  return (row as { id: number }).id;
}
