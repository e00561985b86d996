import type { Knex } from 'knex';

// One source per page, over http or https: the URL normaliser now keys every
// address as https (server/sources/source-urls.ts), so http://example.com/a
// and https://example.com/a are one source. This re-keys the sources stored
// before and merges the sources that turn out to be one page, including the
// "#duplicate-of-" sources that migration 20261201000700 kept apart:
//
// - the oldest source of the page (created first) keeps it, with the new key;
// - every claim that cited another source of the page now cites the oldest,
//   its link re-pointed with its relation, ratings and excerpt; a claim that
//   cited two sources of the page keeps the link to the oldest, and the other
//   link's fields are kept in the history;
// - each claim so changed gets a 'source_merged' event saying from which
//   source to which, with the link's fields; decided claims too (their
//   evidence is the same page, only its row changes);
// - the other sources stay in the library, empty, keyed
//   "<key>#merged-into-<oldest id>" (a normal form never has a fragment), so
//   nothing an editor wrote about them is lost and their page says where the
//   evidence went.
const TYPES = [
  'created', 'edited', 'evidence_linked', 'evidence_changed', 'evidence_unlinked', 'transition', 'assigned', 'reanchored', 'source_changed', 'rechecked', 'relabelled',
  'repeat_linked', 'repeat_unlinked',
];
const check = (types: string[]) => `CHECK (type IN (${types.map((t) => `'${t}'`).join(', ')})) NOT VALID`;

// The page's key: https, without a mark left by an earlier merge. `\?` is knex's escape for a literal question mark.
const PAGE_KEY = String.raw`regexp_replace(regexp_replace(url_normalized, '^http://', 'https://'), '#(duplicate-of|merged-into)-\d+$', '')`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE claim_events DROP CONSTRAINT claim_events_type_check;
    ALTER TABLE claim_events ADD CONSTRAINT claim_events_type_check ${check([...TYPES, 'source_merged'])};
    ALTER TABLE claim_events VALIDATE CONSTRAINT claim_events_type_check;

    CREATE TEMPORARY TABLE source_merges ON COMMIT DROP AS
      SELECT id AS source_id, keeper, page_key
        FROM (SELECT id, page_key, first_value(id) OVER (PARTITION BY page_key ORDER BY created_at, id) AS keeper,
                     count(*) OVER (PARTITION BY page_key) AS n
                FROM (SELECT id, created_at, ${PAGE_KEY} AS page_key FROM sources WHERE url_normalized IS NOT NULL) k) g
       WHERE n > 1 AND id <> keeper;
  `);
  // What becomes of each link to a merged source: it moves to the oldest
  // source, or (the claim cites the oldest already, or another merged source of
  // the same page with an earlier link) it goes, its fields kept in the history.
  await knex.raw(`
    CREATE TEMPORARY TABLE link_fates ON COMMIT DROP AS
      SELECT l.id AS link_id, l.claim_id, l.source_id, m.keeper,
             EXISTS (SELECT 1 FROM evidence_links o WHERE o.claim_id = l.claim_id AND o.source_id = m.keeper)
             OR EXISTS (SELECT 1 FROM evidence_links o JOIN source_merges om ON om.source_id = o.source_id
                         WHERE o.claim_id = l.claim_id AND om.keeper = m.keeper AND o.id < l.id) AS dropped
        FROM evidence_links l JOIN source_merges m ON m.source_id = l.source_id
  `);
  // The history first, while every link still points where it did. The
  // claim_events guard has nothing to say about these events (no transition).
  await knex.raw(`
    INSERT INTO claim_events (claim_id, actor_id, type, data)
    SELECT f.claim_id, NULL, 'source_merged', jsonb_build_object(
             'fromSourceId', s.id, 'fromTitle', s.title, 'fromUrl', s.url,
             'intoSourceId', f.keeper, 'intoTitle', k.title, 'intoUrl', k.url, 'dropped', f.dropped,
             'link', jsonb_build_object('relation', l.relation, 'credibility', l.credibility, 'excerpt', l.excerpt, 'locator', l.locator, 'note', l.note))
      FROM link_fates f
      JOIN evidence_links l ON l.id = f.link_id
      JOIN sources s ON s.id = f.source_id
      JOIN sources k ON k.id = f.keeper
     ORDER BY f.claim_id, f.link_id
  `);
  await knex.raw(`DELETE FROM evidence_links l USING link_fates f WHERE l.id = f.link_id AND f.dropped`);
  await knex.raw(`UPDATE evidence_links l SET source_id = f.keeper FROM link_fates f WHERE l.id = f.link_id AND NOT f.dropped`);
  // A reviewer who opened a claim before its evidence moved gets a conflict, as after any evidence change.
  await knex.raw(`
    UPDATE claims c SET version = c.version + 1
     WHERE c.id IN (SELECT claim_id FROM link_fates) AND c.status NOT IN ('verified', 'refuted', 'unverifiable')
  `);
  // The merged sources step aside, then every key becomes https.
  await knex.raw(`UPDATE sources s SET url_normalized = m.page_key || '#merged-into-' || m.keeper FROM source_merges m WHERE s.id = m.source_id`);
  await knex.raw(`UPDATE sources SET url_normalized = regexp_replace(url_normalized, '^http://', 'https://') WHERE url_normalized LIKE 'http://%'`);
}

// Going back re-keys http sources by their own scheme again; the merges stay
// (the links moved and the history says so): a merged source keeps its mark.
export async function down(knex: Knex): Promise<void> {
  await knex.raw(`UPDATE sources SET url_normalized = regexp_replace(url_normalized, '^https://', 'http://') WHERE url LIKE 'http://%' AND position('#' in url_normalized) = 0`);
}
