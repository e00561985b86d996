/**
 * When a failed delivery is tried again, and when the desk gives up: the
 * first retry 45 seconds after the first failure, each wait twice the one
 * before, 12 attempts in all (the last about 25.6 hours after the first: a
 * receiver down for a day still gets everything); then
 * the delivery is dead. An endpoint that fails 10 attempts in a row, with no
 * success between them, is disabled until an admin enables it again.
 */
export const RETRY_BASE_SECONDS = 45;
export const MAX_ATTEMPTS = 12;
export const DISABLE_AFTER_FAILURES = 10;

/** How long after its nth failed attempt (n from 1) a delivery is tried again, in seconds; null when that was its last. */
export function retryDelaySeconds(attemptsMade: number): number | null {
  if (attemptsMade >= MAX_ATTEMPTS) return null;
  return RETRY_BASE_SECONDS * 2 ** (Math.max(1, attemptsMade) - 1);
}

/** A status that counts as delivered: every 2xx. */
export const isDelivered = (status: number | null): boolean => status !== null && status >= 200 && status <= 299;
