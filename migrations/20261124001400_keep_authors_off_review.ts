import type { Knex } from 'knex';

// The four-eyes rule also for assignment: a claim in review is never held by
// one of its authors (they could not decide it, and "take next" would never
// offer it to anyone else).
const GUARD = (extra: string) => `
  CREATE OR REPLACE FUNCTION claims_guard() RETURNS trigger LANGUAGE plpgsql AS $fn$
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
    END IF;${extra}
    RETURN NEW;
  END
  $fn$;`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(
    GUARD(`
    IF NEW.status = 'in_review' AND NEW.assignee_id = ANY (NEW.authors) THEN
      RAISE EXCEPTION 'four-eyes rule: a claim in review cannot be assigned to one of its authors'
        USING ERRCODE = 'insufficient_privilege', CONSTRAINT = 'claims_four_eyes_assignee';
    END IF;`),
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(GUARD(''));
}
