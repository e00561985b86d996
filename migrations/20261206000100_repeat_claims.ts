import type { Knex } from 'knex';

// Repeat claims: the desk recognises a claim it has already checked.
//
// - pg_trgm and unaccent (both trusted extensions shipped with PostgreSQL)
//   are made once per database, in a schema of their own ("extensions") unless
//   the database has them already; several schemas of one database share them.
//   Functions in the app's schema wrap them with their schema written in, so
//   the app's queries and indexes never depend on a search_path.
// - claims.match_text (generated: factdesk_match_text(statement)) is what is
//   compared: lower case, accents removed, Cyrillic in Latin letters. A GiST
//   trigram index on it hands over the nearest statements first (ordered by
//   trigram distance), so finding a statement's candidates reads a few index
//   pages, not every claim whose statement shares a common trigram. Its
//   signature is 256 bytes: statements are sentences, and the default (12)
//   fills up on them and makes the index guess.
// - claim_repeats keeps what the matcher found for a claim (the earlier claim,
//   level, score and reasons) and what the desk made of it: suggested,
//   confirmed (the two are the same claim) or dismissed (not suggested again).
//   Links are recorded in both claims' histories.
const TYPES = [
  'created', 'edited', 'evidence_linked', 'evidence_changed', 'evidence_unlinked', 'transition', 'assigned', 'reanchored', 'source_changed', 'rechecked', 'relabelled',
];
const NEW_TYPES = ['repeat_linked', 'repeat_unlinked'];
// Letter for letter (the soft and hard signs, last, are dropped); both cases, whatever lower() does in the database's locale.
const TRANSLIT: [string, string][] = [
  ['а', 'a'], ['б', 'b'], ['в', 'v'], ['г', 'g'], ['ґ', 'g'], ['д', 'd'], ['е', 'e'], ['є', 'e'], ['ё', 'e'], ['ж', 'z'], ['з', 'z'],
  ['и', 'y'], ['і', 'i'], ['ї', 'i'], ['й', 'i'], ['к', 'k'], ['л', 'l'], ['м', 'm'], ['н', 'n'], ['о', 'o'], ['п', 'p'], ['р', 'r'],
  ['с', 's'], ['т', 't'], ['у', 'u'], ['ф', 'f'], ['х', 'h'], ['ц', 'c'], ['ч', 'c'], ['ш', 's'], ['щ', 's'], ['ы', 'y'], ['э', 'e'],
  ['ю', 'u'], ['я', 'a'],
];
const CYRILLIC = [...TRANSLIT.map(([c]) => c), ...TRANSLIT.map(([c]) => c.toUpperCase())].join('') + 'ьъЬЪ';
const LATIN = [...TRANSLIT.map(([, l]) => l), ...TRANSLIT.map(([, l]) => l)].join('');
const check = (types: string[]) => `CHECK (type IN (${types.map((t) => `'${t}'`).join(', ')})) NOT VALID`;

/** Makes the extension unless the database has it, and returns the schema that holds it. */
async function extensionSchema(knex: Knex, name: string): Promise<string> {
  const found = await knex.raw<{ rows: { schema: string }[] }>(
    'SELECT extnamespace::regnamespace::text AS schema FROM pg_extension WHERE extname = ?',
    [name],
  );
  if (found.rows[0]) return found.rows[0].schema;
  await knex.raw('CREATE SCHEMA IF NOT EXISTS extensions');
  await knex.raw(`GRANT USAGE ON SCHEMA extensions TO PUBLIC`);
  await knex.raw(`CREATE EXTENSION ${name} WITH SCHEMA extensions`);
  return 'extensions';
}

export async function up(knex: Knex): Promise<void> {
  // Two schemas of one database migrating at once must not both make the extension.
  await knex.raw(`SELECT pg_advisory_xact_lock(hashtext('factdesk: database extensions'))`);
  const trgm = await extensionSchema(knex, 'pg_trgm');
  const unaccent = await extensionSchema(knex, 'unaccent');
  // Every name in the functions is written with its schema: PostgreSQL runs an
  // index's functions with a search_path of pg_catalog only.
  const own = ((await knex.raw<{ rows: { s: string }[] }>('SELECT current_schema() AS s')).rows[0]!).s;
  await knex.raw(`
    CREATE FUNCTION factdesk_plain_text(text) RETURNS text
      LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
      AS $$ SELECT lower(${unaccent}.unaccent('${unaccent}.unaccent'::regdictionary, $1)) $$;
    -- Cyrillic is written in Latin letters for the trigrams: pg_trgm counts only
    -- the letters its locale knows, and a database made with the C locale (the
    -- embedded one) knows only Latin ones.
    CREATE FUNCTION factdesk_match_text(text) RETURNS text
      LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
      AS $$ SELECT translate(${own}.factdesk_plain_text($1), '${CYRILLIC}', '${LATIN}') $$;
    CREATE FUNCTION factdesk_similarity(text, text) RETURNS real
      LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
      AS $$ SELECT ${trgm}.similarity($1, $2) $$;
    -- Inlined by the planner, so ORDER BY it is answered by the GiST index (nearest first).
    CREATE FUNCTION factdesk_distance(text, text) RETURNS real
      LANGUAGE sql IMMUTABLE PARALLEL SAFE
      AS $$ SELECT $1 OPERATOR(${trgm}.<->) $2 $$;
    -- The text search configuration of a statement's language: Russian is stemmed;
    -- Ukrainian, which PostgreSQL has no stemmer for, is compared word for word.
    CREATE FUNCTION factdesk_text_config(text) RETURNS regconfig
      LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
      AS $$ SELECT CASE WHEN $1 ~ '[іїєґІЇЄҐ]' THEN 'simple'::regconfig
                        WHEN $1 ~ '[а-яА-ЯёЁ]' THEN 'russian'::regconfig
                        ELSE 'english'::regconfig END $$;
    CREATE FUNCTION factdesk_words(text) RETURNS text[]
      LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
      AS $$ SELECT tsvector_to_array(to_tsvector(${own}.factdesk_text_config($1), ${own}.factdesk_plain_text($1))) $$;

    ALTER TABLE claims ADD COLUMN match_text text GENERATED ALWAYS AS (${own}.factdesk_match_text(statement)) STORED;
    CREATE INDEX claims_match_text_trigrams ON claims USING gist (match_text ${trgm}.gist_trgm_ops(siglen=256));

    CREATE TABLE claim_repeats (
      claim_id integer NOT NULL REFERENCES claims (id) ON DELETE CASCADE,
      earlier_id integer NOT NULL REFERENCES claims (id) ON DELETE CASCADE,
      state text NOT NULL DEFAULT 'suggested' CHECK (state IN ('suggested', 'confirmed', 'dismissed')),
      level text NOT NULL CHECK (level IN ('suggestion', 'confident')),
      score real NOT NULL CHECK (score BETWEEN 0 AND 1),
      reasons jsonb NOT NULL,
      found_at timestamptz NOT NULL DEFAULT now(),
      decided_by integer REFERENCES users (id),
      decided_at timestamptz,
      PRIMARY KEY (claim_id, earlier_id),
      CHECK (claim_id <> earlier_id),
      CHECK ((state = 'suggested') = (decided_at IS NULL))
    );
    CREATE INDEX claim_repeats_earlier ON claim_repeats (earlier_id);
    CREATE INDEX claim_repeats_suggested ON claim_repeats (level DESC, score DESC, claim_id) WHERE state = 'suggested';

    ALTER TABLE claim_events DROP CONSTRAINT claim_events_type_check;
    ALTER TABLE claim_events ADD CONSTRAINT claim_events_type_check ${check([...TYPES, ...NEW_TYPES])};
    ALTER TABLE claim_events VALIDATE CONSTRAINT claim_events_type_check;
  `);
}

// Going back keeps the extensions (other schemas of the database may use them)
// and the history's link events (the history cannot be rewritten).
export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DROP TABLE claim_repeats;
    DROP INDEX claims_match_text_trigrams;
    ALTER TABLE claims DROP COLUMN match_text;
    DROP FUNCTION factdesk_words(text);
    DROP FUNCTION factdesk_text_config(text);
    DROP FUNCTION factdesk_distance(text, text);
    DROP FUNCTION factdesk_similarity(text, text);
    DROP FUNCTION factdesk_match_text(text);
    DROP FUNCTION factdesk_plain_text(text);
    ALTER TABLE claim_events DROP CONSTRAINT claim_events_type_check;
    ALTER TABLE claim_events ADD CONSTRAINT claim_events_type_check ${check([...TYPES, 'repeat_linked', 'repeat_unlinked'])};
  `);
}
