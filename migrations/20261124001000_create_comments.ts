import type { Knex } from 'knex';

// The thread on each claim between its editors and reviewers; like the
// history, it is never rewritten.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE comments (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      claim_id integer NOT NULL REFERENCES claims (id),
      author_id integer NOT NULL REFERENCES users (id),
      body text NOT NULL CHECK (char_length(body) BETWEEN 1 AND 5000),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX comments_claim ON comments (claim_id, id);
    CREATE TRIGGER comments_no_update_delete BEFORE UPDATE OR DELETE ON comments
      FOR EACH ROW EXECUTE FUNCTION refuse_change_to_history();
    CREATE TRIGGER comments_no_truncate BEFORE TRUNCATE ON comments
      FOR EACH STATEMENT EXECUTE FUNCTION refuse_change_to_history();
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE comments');
}
