import type { Knex } from 'knex';

// Claims, with the database's own share of the rules: every enum and scale
// is a CHECK, and the four-eyes rule is a trigger, so no code path (or hand
// typed SQL) can let an author decide their own claim.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE claims (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      report_id integer NOT NULL REFERENCES reports (id),
      statement text NOT NULL CHECK (char_length(statement) BETWEEN 1 AND 1000),
      quote text NOT NULL CHECK (char_length(quote) BETWEEN 1 AND 5000),
      quote_prefix text NOT NULL DEFAULT '' CHECK (char_length(quote_prefix) <= 32),
      quote_suffix text NOT NULL DEFAULT '' CHECK (char_length(quote_suffix) <= 32),
      quote_start integer NOT NULL CHECK (quote_start >= 0),
      quote_end integer NOT NULL,
      anchored_revision integer NOT NULL DEFAULT 1,
      quote_missing boolean NOT NULL DEFAULT false,
      claimant text CHECK (char_length(claimant) <= 200),
      kind text NOT NULL CHECK (kind IN ('factual', 'attributed', 'direct_quote', 'prediction', 'opinion')),
      tags text[] NOT NULL DEFAULT '{}' CHECK (cardinality(tags) <= 20),
      priority smallint NOT NULL DEFAULT 1 CHECK (priority BETWEEN 0 AND 3),
      confidence text CHECK (confidence IN ('high', 'moderate', 'low')),
      status text NOT NULL DEFAULT 'draft'
        CHECK (status IN ('draft', 'in_review', 'changes_requested', 'verified', 'refuted', 'unverifiable', 'withdrawn')),
      rationale text CHECK (char_length(rationale) <= 5000),
      assignee_id integer REFERENCES users (id),
      authors integer[] NOT NULL CHECK (cardinality(authors) >= 1),
      created_by integer NOT NULL REFERENCES users (id),
      created_at timestamptz NOT NULL DEFAULT now(),
      edited_by integer REFERENCES users (id),
      edited_at timestamptz,
      submitted_at timestamptz,
      status_changed_by integer REFERENCES users (id),
      status_changed_at timestamptz,
      decided_by integer REFERENCES users (id),
      decided_at timestamptz,
      version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
      CHECK (quote_end > quote_start),
      CHECK (created_by = ANY (authors)),
      search tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, statement), 'A') ||
        setweight(to_tsvector('english'::regconfig, coalesce(claimant, '')), 'B') ||
        setweight(to_tsvector('english'::regconfig, quote), 'C')
      ) STORED
    );

    CREATE INDEX claims_report_text_order ON claims (report_id, quote_start, id);
    CREATE INDEX claims_queue ON claims (priority DESC, submitted_at, id) WHERE status = 'in_review';
    CREATE INDEX claims_queue_assignee ON claims (assignee_id) WHERE status = 'in_review';
    CREATE INDEX claims_created ON claims (created_at DESC, id DESC);
    CREATE INDEX claims_status_created ON claims (status, created_at DESC, id DESC);
    CREATE INDEX claims_priority_created ON claims (priority DESC, created_at DESC, id DESC);
    CREATE INDEX claims_decided ON claims (decided_at) WHERE decided_at IS NOT NULL;
    CREATE INDEX claims_tags ON claims USING gin (tags);
    CREATE INDEX claims_search ON claims USING gin (search);
    CREATE INDEX claims_claimant ON claims (lower(claimant));
    CREATE INDEX claims_created_by ON claims (created_by);

    CREATE FUNCTION claims_guard() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
      IF NOT (NEW.authors @> OLD.authors) THEN
        RAISE EXCEPTION 'the authors of a claim can only grow'
          USING ERRCODE = 'integrity_constraint_violation', CONSTRAINT = 'claims_authors_grow';
      END IF;
      IF NEW.version < OLD.version THEN
        RAISE EXCEPTION 'a claim''s version can only grow'
          USING ERRCODE = 'integrity_constraint_violation', CONSTRAINT = 'claims_version_grows';
      END IF;
      IF NEW.status IS DISTINCT FROM OLD.status
         AND OLD.status = 'in_review'
         AND NEW.status IN ('verified', 'refuted', 'unverifiable', 'changes_requested')
         AND (NEW.status_changed_by IS NULL OR NEW.status_changed_by = ANY (NEW.authors)) THEN
        RAISE EXCEPTION 'four-eyes rule: a claim cannot be decided by one of its authors'
          USING ERRCODE = 'insufficient_privilege', CONSTRAINT = 'claims_four_eyes';
      END IF;
      RETURN NEW;
    END
    $fn$;
    CREATE TRIGGER claims_guard BEFORE UPDATE ON claims FOR EACH ROW EXECUTE FUNCTION claims_guard();
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE claims; DROP FUNCTION claims_guard();');
}
