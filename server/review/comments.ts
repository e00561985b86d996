import type { Db } from '../platform/database.ts';
import { NotFoundError } from '../platform/errors.ts';
import type { Actor } from '../platform/policies.ts';

/** Adds a comment to a claim's thread (comments are never edited or deleted). */
export async function addComment(db: Db, actor: Actor, claimId: number, body: string): Promise<number> {
  return db.transaction(async (trx) => {
    const claim = await trx('claims').where({ id: claimId }).first('id');
    if (!claim) throw new NotFoundError();
    const [row] = await trx('comments').insert({ claim_id: claimId, author_id: actor.id, body }).returning('id');
    return (row as { id: number }).id;
  });
}
