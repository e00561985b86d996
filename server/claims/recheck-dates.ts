import type { FieldErrors } from '../platform/errors.ts';

/**
 * Claims that are true as of a day: the rules of the two dates a decided
 * claim may carry, "true as of" and "check again by", as plain functions.
 * Days are calendar days (YYYY-MM-DD) in UTC, the desk's one calendar.
 */

/** The periods a reviewer may choose instead of a day, in months from the decision or re-check. */
export const RECHECK_PERIODS = ['1', '3', '6', '12'] as const;
export type RecheckPeriod = (typeof RECHECK_PERIODS)[number];
export const RECHECK_PERIOD_LABELS: Record<RecheckPeriod, string> = { '1': 'In a month', '3': 'In 3 months', '6': 'In 6 months', '12': 'In a year' };

/** How far ahead the "Due for a re-check" list looks. */
export const DUE_SOON_DAYS = 30;

/** The calendar day of a moment. */
export function dayOf(moment: Date): string {
  return moment.toISOString().slice(0, 10);
}

/** A day some months later; the 31st of a shorter month becomes its last day. */
export function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  return dayOf(new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), Math.min(d, last))));
}

/** A day some days later (or earlier, for a negative count). */
export function addDays(day: string, days: number): string {
  return dayOf(new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000));
}

/** Where a decided claim stands with its re-check: due on or after its day, soon within DUE_SOON_DAYS. */
export function recheckStanding(recheckBy: string | null, today: string): 'none' | 'due' | 'soon' | 'later' {
  if (!recheckBy) return 'none';
  if (recheckBy <= today) return 'due';
  return recheckBy <= addDays(today, DUE_SOON_DAYS) ? 'soon' : 'later';
}

/** What the form sent: a day the claim was true as of, and a day or a period to check it again. */
export interface RecheckInput {
  trueAsOf: string | null;
  recheckBy: string | null;
  recheckIn: RecheckPeriod | null;
}

/**
 * The two dates to store, or the messages beside the fields that are wrong:
 * a claim is not true as of a day to come, is checked again on a day to
 * come, and by a day or after a period, not both.
 */
export function resolveRecheckDates(input: RecheckInput, today: string): { trueAsOf: string | null; recheckBy: string | null } | { errors: FieldErrors } {
  const errors: FieldErrors = {};
  if (input.trueAsOf && input.trueAsOf > today) errors.trueAsOf = 'A claim is true as of today or a day before: choose a day that has come.';
  if (input.recheckBy && input.recheckIn) errors.recheckBy = 'Choose a day or a period to check it again, not both.';
  else if (input.recheckBy && input.recheckBy <= today) errors.recheckBy = 'Choose a day after today to check it again.';
  if (Object.keys(errors).length > 0) return { errors };
  return { trueAsOf: input.trueAsOf, recheckBy: input.recheckBy ?? (input.recheckIn ? addMonths(today, Number(input.recheckIn)) : null) };
}

/** The days as a history event records them: only those that are set. */
export function datesOfEvent(dates: { trueAsOf: string | null; recheckBy: string | null } | null): { trueAsOf?: string; recheckBy?: string } {
  return { ...(dates?.trueAsOf ? { trueAsOf: dates.trueAsOf } : {}), ...(dates?.recheckBy ? { recheckBy: dates.recheckBy } : {}) };
}
