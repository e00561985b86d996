import type { Request } from 'express';
import type { Db } from '../platform/database.ts';
import { loadById } from '../platform/load.ts';
import { findClaim, type Claim } from './claims.repo.ts';

/** The claim the route's :id names; a 404 when there is none. Every feature's claim routes load it here. */
export function loadClaim(db: Db, req: Request): Promise<Claim> {
  return loadById(req.params.id, (id) => findClaim(db, id));
}
