import type { Db } from '../../server/platform/database.ts';
import { makeClaim, makeEvidence, makeReport, makeSource, makeUser } from './factories.ts';

/** Path parameters for the route inventory: ids of real records nobody else in the test uses. */
export async function makeInventoryRecords(db: Db): Promise<Record<string, string>> {
  const victim = await makeUser(db, { role: 'editor', displayName: 'Inventory victim' });
  const author = await makeUser(db, { role: 'editor', displayName: 'Inventory author' });
  const report = await makeReport(db, author);
  const claim = await makeClaim(db, author, report);
  const source = await makeSource(db, author);
  const link = await makeEvidence(db, author, claim, { sourceId: source });
  return {
    sources: String(source),
    evidence: String(link),
    users: String(victim.id),
    reports: String(report),
    claims: String(claim),
    'set-password': 'no-such-token-000000000000000000000',
  };
}

/** A route path with each :param filled by the id of the resource named before it (/claims/:id -> ids.claims). */
export function fillPath(path: string, ids: Record<string, string>): string {
  const segments = path.split('/');
  return segments
    .map((segment, i) => (segment.startsWith(':') ? (ids[segments[i - 1] ?? ''] ?? ids[segment.slice(1)] ?? '1') : segment))
    .join('/');
}
