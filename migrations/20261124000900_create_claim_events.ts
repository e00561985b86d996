import type { Knex } from 'knex';

// The append-only history of every claim. The database refuses UPDATE,
// DELETE and TRUNCATE, so the record of who did what cannot be rewritten.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE FUNCTION refuse_change_to_history() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
      RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
    END
    $fn$;

    CREATE TABLE claim_events (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      claim_id integer NOT NULL REFERENCES claims (id),
      actor_id integer REFERENCES users (id),
      type text NOT NULL CHECK (type IN (
        'created', 'edited', 'evidence_linked', 'evidence_changed', 'evidence_unlinked',
        'transition', 'assigned', 'reanchored'
      )),
      action text,
      from_status text,
      to_status text,
      comment text CHECK (char_length(comment) <= 5000),
      data jsonb NOT NULL DEFAULT '{}'::jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK (type <> 'transition' OR (action IS NOT NULL AND from_status IS NOT NULL AND to_status IS NOT NULL))
    );
    CREATE INDEX claim_events_claim ON claim_events (claim_id, id);
    CREATE INDEX claim_events_decisions ON claim_events (created_at)
      WHERE type = 'transition' AND to_status IN ('verified', 'refuted', 'unverifiable');

    CREATE TRIGGER claim_events_no_update_delete BEFORE UPDATE OR DELETE ON claim_events
      FOR EACH ROW EXECUTE FUNCTION refuse_change_to_history();
    CREATE TRIGGER claim_events_no_truncate BEFORE TRUNCATE ON claim_events
      FOR EACH STATEMENT EXECUTE FUNCTION refuse_change_to_history();
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE claim_events; DROP FUNCTION refuse_change_to_history();');
}
