import type { Knex } from 'knex';

// The database's backstop for the state machine and the four-eyes rule, for
// any UPDATE, the app's or one typed by hand:
// - a status changes only along an edge of the state table
//   (server/review/states.ts; test/platform/schema.test.ts checks that the two
//   agree edge for edge), and only with a new version;
// - a decided claim names its decider, and nobody else's claim does;
// - the decider is never one of the claim's authors, whichever column the
//   UPDATE names (decided_by or status_changed_by).
const EDGES = [
  ['draft', 'in_review'],
  ['changes_requested', 'in_review'],
  ['in_review', 'changes_requested'],
  ['in_review', 'verified'],
  ['in_review', 'refuted'],
  ['in_review', 'unverifiable'],
  ['verified', 'changes_requested'],
  ['refuted', 'changes_requested'],
  ['unverifiable', 'changes_requested'],
  ['draft', 'withdrawn'],
  ['in_review', 'withdrawn'],
  ['changes_requested', 'withdrawn'],
  ['withdrawn', 'draft'],
] as const;

const COMMON = `
    IF NOT (NEW.authors @> OLD.authors) THEN
      RAISE EXCEPTION 'the authors of a claim can only grow'
        USING ERRCODE = 'integrity_constraint_violation', CONSTRAINT = 'claims_authors_grow';
    END IF;
    IF NEW.version < OLD.version THEN
      RAISE EXCEPTION 'a claim''s version can only grow'
        USING ERRCODE = 'integrity_constraint_violation', CONSTRAINT = 'claims_version_grows';
    END IF;
    IF NEW.status = 'in_review' AND NEW.assignee_id = ANY (NEW.authors) THEN
      RAISE EXCEPTION 'four-eyes rule: a claim in review cannot be assigned to one of its authors'
        USING ERRCODE = 'insufficient_privilege', CONSTRAINT = 'claims_four_eyes_assignee';
    END IF;`;

const FOUR_EYES_ON_DECISION = `
    IF NEW.status IS DISTINCT FROM OLD.status
       AND OLD.status = 'in_review'
       AND NEW.status IN ('verified', 'refuted', 'unverifiable', 'changes_requested')
       AND (NEW.status_changed_by IS NULL OR NEW.status_changed_by = ANY (NEW.authors)) THEN
      RAISE EXCEPTION 'four-eyes rule: a claim cannot be decided by one of its authors'
        USING ERRCODE = 'insufficient_privilege', CONSTRAINT = 'claims_four_eyes';
    END IF;`;

const STATE_EDGES = `
    IF NEW.status IS DISTINCT FROM OLD.status THEN
      IF (OLD.status, NEW.status) NOT IN (${EDGES.map(([from, to]) => `('${from}', '${to}')`).join(', ')}) THEN
        RAISE EXCEPTION 'a claim cannot go from % to %', OLD.status, NEW.status
          USING ERRCODE = 'check_violation', CONSTRAINT = 'claims_status_edges';
      END IF;
      IF NEW.version <= OLD.version THEN
        RAISE EXCEPTION 'a change of status needs a new version'
          USING ERRCODE = 'integrity_constraint_violation', CONSTRAINT = 'claims_status_versioned';
      END IF;
    END IF;`;

const guard = (body: string) => `
  CREATE OR REPLACE FUNCTION claims_guard() RETURNS trigger LANGUAGE plpgsql AS $fn$
  BEGIN${body}
    RETURN NEW;
  END
  $fn$;`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(guard(COMMON + FOUR_EYES_ON_DECISION + STATE_EDGES));
  await knex.raw(`
    ALTER TABLE claims
      ADD CONSTRAINT claims_decider_not_author CHECK (decided_by IS NULL OR NOT (decided_by = ANY (authors))),
      ADD CONSTRAINT claims_decided_names_decider
        CHECK ((status IN ('verified', 'refuted', 'unverifiable')) = (decided_by IS NOT NULL AND decided_at IS NOT NULL));
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE claims DROP CONSTRAINT claims_decider_not_author, DROP CONSTRAINT claims_decided_names_decider');
  await knex.raw(guard(COMMON + FOUR_EYES_ON_DECISION));
}
