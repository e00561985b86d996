import type { Knex } from 'knex';

// Every export, so a sheet can be traced: who, when, which format and
// filter, and which claims it held.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE export_log (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      actor_id integer NOT NULL REFERENCES users (id),
      format text NOT NULL CHECK (format IN ('html', 'csv', 'csv_evidence', 'xlsx', 'json', 'claimreview')),
      report_id integer REFERENCES reports (id),
      scope jsonb NOT NULL DEFAULT '{}'::jsonb,
      claim_ids integer[] NOT NULL DEFAULT '{}',
      row_count integer NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX export_log_claims ON export_log USING gin (claim_ids);
    CREATE TRIGGER export_log_no_update_delete BEFORE UPDATE OR DELETE ON export_log
      FOR EACH ROW EXECUTE FUNCTION refuse_change_to_history();
    CREATE TRIGGER export_log_no_truncate BEFORE TRUNCATE ON export_log
      FOR EACH STATEMENT EXECUTE FUNCTION refuse_change_to_history();
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE export_log');
}
