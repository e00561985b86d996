import type { Request, Response } from 'express';
import { decisionsPerDay } from '../audit/events.repo.ts';
import { countByStatus, queueAges, recheckCounts } from '../claims/claim-lists.repo.ts';
import { addDays, dayOf, DUE_SOON_DAYS } from '../claims/recheck-dates.ts';
import { claimsPerLabel } from '../claims/verdict-labels.repo.ts';
import { DECIDED_STATUSES, STATUS_LABELS, STATUSES } from '../claims/statuses.ts';
import type { Db } from '../platform/database.ts';
import { respond } from '../platform/http.ts';
import { listReports } from '../reports/reports.repo.ts';
import { horizontalBars, stackedColumns } from './charts.ts';
import { withClaimCounts } from './report-page.ts';

const SHORT_DAY = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });

/** The home page: the desk at a glance (claims by status, the queue's age, recent reports, decisions per day). */
export async function renderDashboard(db: Db, req: Request, res: Response, now: Date): Promise<void> {
  const today = dayOf(now);
  const [counts, ages, recent, decisions, rechecks, verdicts] = await Promise.all([
    countByStatus(db),
    queueAges(db),
    listReports(db, { limit: 6 }).then((page) => withClaimCounts(db, page)),
    decisionsPerDay(db, { days: 14, statuses: DECIDED_STATUSES }),
    recheckCounts(db, today, addDays(today, DUE_SOON_DAYS)),
    claimsPerLabel(db),
  ]);
  const data = { counts, ages, recent: recent.reports, decisions, rechecks, verdicts };
  await respond(
    req,
    res,
    () =>
      res.render('dashboard/index', {
        title: 'Dashboard',
        ...data,
        soonDays: DUE_SOON_DAYS,
        statuses: STATUSES,
        total: Object.values(counts).reduce((a, b) => a + b, 0),
        ageChart: horizontalBars([
          { label: 'Under an hour', value: ages.underHour, series: 'fresh' },
          { label: 'Under a day', value: ages.underDay, series: 'waiting' },
          { label: 'A day or more', value: ages.older, series: 'old' },
        ]),
        decisionChart: stackedColumns(
          decisions.map((d, i) => {
            const date = new Date(`${d.day}T00:00:00Z`);
            const label = SHORT_DAY.format(date);
            return {
              // The day of the month under each bar; the month too where it starts and on the first bar.
              label: i === 0 || date.getUTCDate() === 1 ? label : String(date.getUTCDate()),
              values: DECIDED_STATUSES.map((s) => ({
                series: s,
                value: d.counts[s],
                title: `${label}: ${d.counts[s]} ${STATUS_LABELS[s].toLowerCase()}`,
              })),
            };
          }),
        ),
        shortDay: (day: string) => SHORT_DAY.format(new Date(`${day}T00:00:00Z`)),
      }),
    () => data,
  );
}
