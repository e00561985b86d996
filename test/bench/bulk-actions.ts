// Scenario 9: bulk actions on 500 and 5,000 claims through the running app
// (one preview request, one apply request, each claim in its own
// transaction), and the saved views whose live counts the lists' menu shows.
import type { Knex } from 'knex';
import { PROXY_HEADERS, type Session } from './measure.ts';

export interface BulkBenchResult {
  claims: number;
  action: string;
  previewSeconds: number;
  applySeconds: number;
  claimsPerSecond: number;
  /** Claims the database shows changed, and history entries written, by the apply. */
  changed: number;
  events: number;
}

/** Saved views for the benchmark's reviewer and the desk: the menu of the lists counts each on every list page. */
export async function seedSavedViews(db: Knex, ownerEmail: string, tag: string): Promise<number> {
  const owner = (await db('users').where({ email: ownerEmail }).first('id')) as { id: number };
  const views = [
    { name: 'Verified with the common tag', list: 'claims', query: `status=verified&tag=${encodeURIComponent(tag)}`, shared: false },
    { name: 'Drafts', list: 'claims', query: 'status=draft', shared: false },
    { name: 'Unassigned in review', list: 'review', query: 'assignee=none', shared: false },
    { name: 'Opinion claims', list: 'claims', query: 'kind=opinion', shared: true },
    { name: 'Refuted', list: 'claims', query: 'status=refuted', shared: true },
  ];
  await db('saved_views').insert(views.map((v) => ({ ...v, owner_id: owner.id })));
  return views.length;
}

/** Marks `n` editable claims (draft or changes requested) with a tag of their own, for one bulk run. */
async function markBatch(db: Knex, n: number): Promise<string> {
  const tag = `bench-bulk-${n}`;
  await db.raw(
    `UPDATE claims SET tags = tags || ARRAY[?]::text[]
      WHERE id IN (SELECT id FROM claims WHERE status IN ('draft', 'changes_requested') AND NOT tags && ARRAY['bench-bulk-500', 'bench-bulk-5000']::text[] ORDER BY id LIMIT ?)`,
    [tag, n],
  );
  return tag;
}

/**
 * Adds a tag to `n` claims chosen by a filter (the form's "all that match"):
 * the preview request, then the apply request, timed apart; then what the
 * database shows changed.
 */
export async function runBulk(base: string, session: Session, db: Knex, n: number): Promise<BulkBenchResult> {
  const tag = await markBatch(db, n);
  const headers = { ...PROXY_HEADERS, Cookie: session.cookie, 'Content-Type': 'application/x-www-form-urlencoded' };
  const form = new URLSearchParams({ _csrf: session.csrf, bulkAction: 'add_tag', bulkTag: `${tag}-done`, bulkScope: 'matching', filters: `tag=${tag}`, list: 'claims', back: '/claims' });
  const maxEvent = Number(((await db.raw('SELECT coalesce(max(id), 0) AS m FROM claim_events')) as { rows: { m: number }[] }).rows[0]!.m);
  let started = performance.now();
  const preview = await fetch(`${base}/claims/bulk`, { method: 'POST', headers, body: form.toString(), redirect: 'manual' });
  const previewSeconds = (performance.now() - started) / 1000;
  const location = preview.headers.get('location') ?? '';
  if (preview.status !== 303 || !/^\/claims\/bulk\/[0-9a-f-]{36}$/.test(location)) throw new Error(`bulk preview answered ${preview.status} ${location}`);
  started = performance.now();
  const apply = await fetch(`${base}${location}/apply`, { method: 'POST', headers, body: new URLSearchParams({ _csrf: session.csrf }).toString(), redirect: 'manual' });
  const applySeconds = (performance.now() - started) / 1000;
  if (apply.status !== 303) throw new Error(`bulk apply answered ${apply.status}`);
  const changed = Number(((await db.raw('SELECT count(*)::int AS n FROM claims WHERE tags @> ARRAY[?]::text[]', [`${tag}-done`])) as { rows: { n: number }[] }).rows[0]!.n);
  const events = Number(((await db.raw(`SELECT count(*)::int AS n FROM claim_events WHERE id > ? AND type = 'edited'`, [maxEvent])) as { rows: { n: number }[] }).rows[0]!.n);
  const round = (x: number) => Math.round(x * 100) / 100;
  return { claims: n, action: 'add a tag', previewSeconds: round(previewSeconds), applySeconds: round(applySeconds), claimsPerSecond: Math.round(changed / Math.max(applySeconds, 0.001)), changed, events };
}

/** The bulk results as lines of the report. */
export function formatBulk(results: readonly BulkBenchResult[]): string[] {
  return [
    '9 bulk actions (all that match a filter, through the app):',
    ...results.map((b) => `  ${b.action} on ${b.claims} claims: preview ${b.previewSeconds} s, apply ${b.applySeconds} s = ${b.claimsPerSecond} claims/s; changed ${b.changed}, history entries ${b.events}`),
  ];
}
