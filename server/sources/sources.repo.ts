import type { Db } from '../platform/database.ts';
import { decodeCursor, encodeCursor } from '../platform/pagination.ts';
import type { Reliability } from './ratings.ts';
import { readSourceSearch } from './source-search.ts';

export const SOURCE_KINDS = ['web_page', 'document', 'interview', 'dataset', 'social_post', 'prior_fact_check', 'other'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];
export const SOURCE_KIND_LABELS: Record<SourceKind, string> = {
  web_page: 'Web page',
  document: 'Document',
  interview: 'Interview or statement',
  dataset: 'Dataset',
  social_post: 'Social media post',
  prior_fact_check: 'Earlier fact-check',
  other: 'Other',
};

/** A source of the library, as its page shows it. */
export interface Source extends SourceFields {
  id: number;
  createdBy: number;
  createdByName: string;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export type SourceSummary = Pick<Source, 'id' | 'kind' | 'title' | 'url' | 'publisher' | 'reliability'> & { claimCount: number };

const COLUMNS = `s.id, s.kind, s.title, s.url, s.url_normalized AS "urlNormalized", s.publisher, s.outlet, s.author,
  s.published_on AS "publishedOn", s.accessed_on AS "accessedOn", s.archive_url AS "archiveUrl", s.reliability, s.notes,
  s.created_by AS "createdBy", u.display_name AS "createdByName", s.created_at AS "createdAt", s.updated_at AS "updatedAt", s.version`;

/** A source of the library, or null. */
export async function findSource(db: Db, id: number): Promise<Source | null> {
  const { rows } = await db.raw<{ rows: Source[] }>(`SELECT ${COLUMNS} FROM sources s JOIN users u ON u.id = s.created_by WHERE s.id = ?`, [id]);
  return rows[0] ?? null;
}

/** The source whose URL has this normal form, or null. */
export async function findSourceByUrl(db: Db, urlNormalized: string): Promise<Source | null> {
  const { rows } = await db.raw<{ rows: Source[] }>(`SELECT ${COLUMNS} FROM sources s JOIN users u ON u.id = s.created_by WHERE s.url_normalized = ?`, [urlNormalized]);
  return rows[0] ?? null;
}

export interface SourceFields {
  kind: SourceKind;
  title: string;
  url: string | null;
  urlNormalized: string | null;
  publisher: string | null;
  /** The outlet an editor named (else it is derived: server/sources/outlets.ts). */
  outlet: string | null;
  author: string | null;
  publishedOn: string | null;
  accessedOn: string | null;
  archiveUrl: string | null;
  reliability: Reliability;
  notes: string | null;
}

const toRow = (s: SourceFields) => ({
  kind: s.kind,
  title: s.title,
  url: s.url,
  url_normalized: s.urlNormalized,
  publisher: s.publisher,
  outlet: s.outlet,
  author: s.author,
  published_on: s.publishedOn,
  accessed_on: s.accessedOn,
  archive_url: s.archiveUrl,
  reliability: s.reliability,
  notes: s.notes,
});

/**
 * Adds a source; null when its URL is already in the library. ON CONFLICT
 * waits for a concurrent insert of the same URL to commit and then skips,
 * so a race never aborts the caller's transaction with a duplicate-key error.
 */
export async function insertSource(trx: Db, source: SourceFields, createdBy: number): Promise<number | null> {
  const [row] = await trx('sources').insert({ ...toRow(source), created_by: createdBy }).onConflict('url_normalized').ignore().returning('id');
  return row ? (row as { id: number }).id : null;
}

/** Saves a source if nobody changed it since `version`; false when they did. */
export async function updateSourceIfVersion(trx: Db, id: number, version: number, source: SourceFields): Promise<boolean> {
  const n = await trx('sources')
    .where({ id, version })
    .update({ ...toRow(source), version: trx.raw('version + 1'), updated_at: trx.fn.now() });
  return n === 1;
}

/** A change to a source field that claims show, as a claim event records it. */
export type SourceChanges = Partial<Record<'title' | 'url' | 'publisher' | 'reliability', { from: string | null; to: string | null }>>;

/** The library, alphabetically, a page at a time; `q` searches it. */
export async function listSources(db: Db, options: { q?: string | null; after?: string | null; limit?: number }): Promise<{ sources: SourceSummary[]; next: string | null }> {
  const limit = options.limit ?? 50;
  const cursor = decodeCursor(options.after, ['text', 'int']);
  const q = db('sources as s')
    .select('s.id', 's.kind', 's.title', 's.url', 's.publisher', 's.reliability', db.raw('lower(s.title) AS sort_title'))
    .select(db.raw('(SELECT count(*)::int FROM evidence_links l WHERE l.source_id = s.id) AS "claimCount"'));
  const search = options.q ? readSourceSearch(options.q) : null;
  if (search) {
    const { exactUrl, urlFragment, words } = search;
    q.where((w) => {
      w.whereRaw('false'); // a search with nothing to look up finds nothing
      if (exactUrl) w.orWhere('s.url_normalized', exactUrl);
      // The index finds the URLs with the fragment's words side by side; ILIKE keeps those that contain it as typed.
      if (urlFragment) w.orWhereRaw("(s.url_words @@ to_tsquery('simple', ?) AND s.url_normalized ILIKE ?)", [urlFragment.phrase, urlFragment.contains]);
      if (words) w.orWhereRaw("s.search @@ to_tsquery('simple', ?)", [words]);
    });
  }
  if (cursor) q.whereRaw('(lower(s.title), s.id) > (?, ?)', cursor);
  const rows = (await q.orderByRaw('lower(s.title), s.id').limit(limit + 1)) as (SourceSummary & { sort_title: string })[];
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    sources: page.map(({ sort_title: _t, ...s }) => s),
    next: rows.length > limit && last ? encodeCursor([last.sort_title, last.id]) : null,
  };
}
