import { claimExists } from '../claims/claims.repo.ts';
import type { Db } from '../platform/database.ts';
import { NotFoundError } from '../platform/errors.ts';
import type { Actor } from '../platform/policies.ts';
import { insertComment } from './comments.repo.ts';

/** Adds a comment to a claim's thread (comments are never edited or deleted). */
export async function addComment(db: Db, actor: Actor, claimId: number, body: string): Promise<number> {
  return db.transaction(async (trx) => {
    if (!(await claimExists(trx, claimId))) throw new NotFoundError();
    return insertComment(trx, { claimId, authorId: actor.id, body });
  });
}
