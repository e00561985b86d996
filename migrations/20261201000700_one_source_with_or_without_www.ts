import type { Knex } from 'knex';

// One source per page, with or without "www.": the URL normaliser now drops
// a leading "www." from the host (sites serve the same article on both), so
// https://www.axios.com/x and https://axios.com/x are one source. This
// re-keys the sources stored before, whose url_normalized kept the "www.".
// The url column (the address that is shown and opened) is left as it was;
// url_words and search follow url_normalized on their own (generated).
//
// Two stored sources may turn out to be the same page: one saved with
// "www." and one without. Both rows are kept (claims cite each, and merging
// them is an editor's decision, not a migration's). The older one (created
// first) becomes the page's source and takes the new key; the newer one
// keeps its URL and gets the key "<new key>#duplicate-of-<older id>".
// url_normalized cannot be NULL while url is set (a CHECK), and a normal
// form never has a fragment, so that key can never clash with a real URL and
// says which source is the page's own. Adding the page again then offers the
// older source; the newer one's page points to it; saving the newer one with
// that URL is refused as a duplicate, as for any other source.

// The new rule of server/sources/source-urls.ts (normaliseSourceUrl), written
// out in SQL so this migration keeps doing what it did if that code changes:
// leading "www." labels go while a host name with a dot is left. `\?` is
// knex's escape for a literal question mark.
const REKEYED = String.raw`regexp_replace(url_normalized, '^(https|http)://(www\.)+(\?=[^/:]*\.)', '\1://')`;

export async function up(knex: Knex): Promise<void> {
  // First the newer sources of a page that two sources share move aside, so
  // that the older one can take the key without a unique violation.
  await knex.raw(`
    UPDATE sources s
       SET url_normalized = r.rekeyed || '#duplicate-of-' || r.keeper
      FROM (SELECT id, rekeyed,
                   first_value(id) OVER (PARTITION BY rekeyed ORDER BY created_at, id) AS keeper,
                   count(*) OVER (PARTITION BY rekeyed) AS n
              FROM (SELECT id, created_at, ${REKEYED} AS rekeyed FROM sources WHERE url_normalized IS NOT NULL) k) r
     WHERE s.id = r.id AND r.n > 1 AND r.id <> r.keeper
  `);
  await knex.raw(`
    UPDATE sources SET url_normalized = ${REKEYED}
     WHERE url_normalized LIKE 'http%://www.%' AND position('#' in url_normalized) = 0 AND ${REKEYED} <> url_normalized
  `);
}

// Going back, every source's key is its URL again: the URL is kept in the
// form the old rule produced (it only lacks the "www." rule), and two sources
// never share a URL. The sources that took a page's key give it up first, so
// the newer source of the same page can take its own URL back.
export async function down(knex: Knex): Promise<void> {
  await knex.raw(`UPDATE sources SET url_normalized = url WHERE url IS NOT NULL AND position('#' in url_normalized) = 0 AND url_normalized <> url`);
  await knex.raw(`UPDATE sources SET url_normalized = url WHERE url IS NOT NULL AND position('#' in url_normalized) > 0`);
}
