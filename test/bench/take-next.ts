// Scenario 6: reviewers pressing "Take next" at the same time until the
// queue is empty, then proof from the database that no claim went to two.
import type { Knex } from 'knex';
import { PROXY_HEADERS, type Session } from './measure.ts';

export interface TakeNextResult {
  loops: number;
  sessions: number;
  takes: number;
  seconds: number;
  takesPerSecond: number;
  /** Responses other than 200 {id} and the final 404. */
  errors: number;
  /** Claim ids the server handed out more than once (seen by the clients). */
  duplicateIdsSeen: number;
  /** Takes per second over the first and the last tenth of the takes (a slowdown as the queue drains shows here). */
  firstTenthPerSecond: number;
  lastTenthPerSecond: number;
}

/** Takes per second over takes [from, to) of the sorted completion times. */
function rate(times: number[], from: number, to: number): number {
  if (to - from < 2) return 0;
  return Math.round((to - from - 1) / Math.max((times[to - 1]! - times[from]!) / 1000, 0.001));
}

/** `loops` concurrent loops (over the sessions, round robin) each taking claims until told the queue is empty. */
export async function runTakeNext(base: string, sessions: Session[], loops: number): Promise<TakeNextResult> {
  const ids: number[] = [];
  const times: number[] = [];
  let errors = 0;
  let lastTake = 0;
  const started = performance.now();
  const loop = async (session: Session) => {
    const headers = { ...PROXY_HEADERS, Cookie: session.cookie, 'X-CSRF-Token': session.csrf, Accept: 'application/json' };
    for (let failures = 0; failures < 20; ) {
      const res = await fetch(`${base}/review/take-next`, { method: 'POST', headers });
      const body = (await res.json().catch(() => ({}))) as { id?: number };
      if (res.status === 200 && typeof body.id === 'number') {
        ids.push(body.id);
        lastTake = performance.now();
        times.push(lastTake);
      } else if (res.status === 404) {
        return;
      } else {
        errors++;
        failures++;
      }
    }
  };
  await Promise.all(Array.from({ length: loops }, (_, i) => loop(sessions[i % sessions.length]!)));
  const seconds = ((lastTake || performance.now()) - started) / 1000;
  return {
    loops,
    sessions: sessions.length,
    takes: ids.length,
    seconds: Math.round(seconds * 100) / 100,
    takesPerSecond: Math.round(ids.length / Math.max(seconds, 0.001)),
    errors,
    duplicateIdsSeen: ids.length - new Set(ids).size,
    firstTenthPerSecond: rate(times, 0, Math.ceil(times.length / 10)),
    lastTenthPerSecond: rate(times, times.length - Math.ceil(times.length / 10), times.length),
  };
}

export interface QueueCheck {
  /** Claims with more than one self-assignment made during the scenario. */
  takenTwice: number;
  /** Claims whose assignee is not the reviewer of their last assignment event. */
  assigneeMismatch: number;
  /** Claims still waiting unassigned (none, unless every remaining reviewer wrote them). */
  leftUnassigned: number;
  /** Self-assignments recorded during the scenario. */
  assignmentEvents: number;
}

/** Checks the assignments made after event `afterEventId` (the scenario's) in the database. */
export async function checkQueue(db: Knex, afterEventId: number): Promise<QueueCheck> {
  const one = async (sql: string, bindings: number[] = [afterEventId]) => Number(((await db.raw(sql, bindings)) as { rows: { n: number }[] }).rows[0]?.n ?? 0);
  return {
    takenTwice: await one(`SELECT count(*)::int AS n FROM (SELECT claim_id FROM claim_events WHERE id > ? AND type = 'assigned' AND (data ->> 'self')::boolean GROUP BY claim_id HAVING count(*) > 1) t`),
    assigneeMismatch: await one(`SELECT count(*)::int AS n FROM claims c JOIN LATERAL (SELECT e.actor_id FROM claim_events e WHERE e.claim_id = c.id AND e.type = 'assigned' AND e.id > ? ORDER BY e.id DESC LIMIT 1) last ON true WHERE c.assignee_id IS DISTINCT FROM last.actor_id`),
    leftUnassigned: await one(`SELECT count(*)::int AS n FROM claims WHERE status = 'in_review' AND assignee_id IS NULL`, []),
    assignmentEvents: await one(`SELECT count(*)::int AS n FROM claim_events WHERE id > ? AND type = 'assigned'`),
  };
}
