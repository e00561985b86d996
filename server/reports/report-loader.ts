import type { Request } from 'express';
import type { Db } from '../platform/database.ts';
import { loadById } from '../platform/load.ts';
import { findReport, type Report } from './reports.repo.ts';

/** The report the route's :id names; a 404 when there is none. Every feature's report routes load it here. */
export function loadReport(db: Db, req: Request): Promise<Report> {
  return loadById(req.params.id, (id) => findReport(db, id));
}
