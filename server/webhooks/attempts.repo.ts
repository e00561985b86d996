import type { Db } from '../platform/database.ts';

/** One try at sending a delivery: the answer's status (none when there was no answer), how long it took, what went wrong. */
export interface NewAttempt {
  deliveryId: number;
  status: number | null;
  responseMs: number | null;
  error: string | null;
  /** When it was made: the clock a test gives, else the database's. */
  now: Date | null;
}

/** Records an attempt (the log is only ever added to). */
export async function insertAttempt(db: Db, attempt: NewAttempt): Promise<void> {
  await db.raw(
    `INSERT INTO webhook_attempts (delivery_id, at, status, response_ms, error) VALUES (?, coalesce(CAST(? AS timestamptz), now()), ?, ?, ?)`,
    [attempt.deliveryId, attempt.now, attempt.status, attempt.responseMs, attempt.error],
  );
}
