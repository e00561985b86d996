import type { Knex } from 'knex';

// Claims true as of a date: a decided claim may carry the day it was true as
// of and the day it must be checked again by; a reviewer who checks it again
// confirms it (a new as-of day, a new check-again day) and that is recorded
// as a 'rechecked' event. Only a decided claim carries them.
//
// The database's guard: the dates of a decided claim change without a change
// of status only as a re-check, made now by a reviewer or admin who is not
// one of the claim's authors (whoever decides it again must not be its author).
const TYPES = ['created', 'edited', 'evidence_linked', 'evidence_changed', 'evidence_unlinked', 'transition', 'assigned', 'reanchored', 'source_changed'];
const check = (types: string[]) => `CHECK (type IN (${types.map((t) => `'${t}'`).join(', ')})) NOT VALID`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE claims
      ADD COLUMN true_as_of date,
      ADD COLUMN recheck_by date,
      ADD COLUMN rechecked_at timestamptz,
      ADD COLUMN rechecked_by integer REFERENCES users (id),
      ADD CONSTRAINT claims_dates_only_decided
        CHECK (status IN ('verified', 'refuted', 'unverifiable')
               OR num_nonnulls(true_as_of, recheck_by, rechecked_at, rechecked_by) = 0);
    CREATE INDEX claims_recheck_due ON claims (recheck_by, id) WHERE recheck_by IS NOT NULL;

    ALTER TABLE claim_events DROP CONSTRAINT claim_events_type_check;
    ALTER TABLE claim_events ADD CONSTRAINT claim_events_type_check ${check([...TYPES, 'rechecked'])};
    ALTER TABLE claim_events VALIDATE CONSTRAINT claim_events_type_check;

    CREATE FUNCTION claims_recheck_guard() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
      IF NEW.status IS NOT DISTINCT FROM OLD.status
         AND (NEW.true_as_of, NEW.recheck_by, NEW.rechecked_at, NEW.rechecked_by)
             IS DISTINCT FROM (OLD.true_as_of, OLD.recheck_by, OLD.rechecked_at, OLD.rechecked_by)
         AND (NEW.rechecked_at IS DISTINCT FROM now()
              OR NEW.rechecked_by = ANY (NEW.authors)
              OR NOT EXISTS (SELECT 1 FROM users u WHERE u.id = NEW.rechecked_by AND u.role IN ('reviewer', 'admin'))) THEN
        RAISE EXCEPTION 'a decided claim''s dates change only when a reviewer who did not write it checks it again'
          USING ERRCODE = 'insufficient_privilege', CONSTRAINT = 'claims_recheck_by_reviewer';
      END IF;
      RETURN NEW;
    END
    $fn$;
    CREATE TRIGGER claims_recheck_guard BEFORE UPDATE ON claims FOR EACH ROW EXECUTE FUNCTION claims_recheck_guard();
  `);
}

// Going back leaves the 'rechecked' events already written (the history cannot be rewritten).
export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DROP TRIGGER claims_recheck_guard ON claims;
    DROP FUNCTION claims_recheck_guard();
    ALTER TABLE claim_events DROP CONSTRAINT claim_events_type_check;
    ALTER TABLE claim_events ADD CONSTRAINT claim_events_type_check ${check(TYPES)};
    DROP INDEX claims_recheck_due;
    ALTER TABLE claims DROP CONSTRAINT claims_dates_only_decided,
      DROP COLUMN true_as_of, DROP COLUMN recheck_by, DROP COLUMN rechecked_at, DROP COLUMN rechecked_by;
  `);
}
