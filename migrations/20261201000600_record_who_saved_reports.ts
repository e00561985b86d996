import type { Knex } from 'knex';

// Who last saved a report's details or text, so a colleague whose form went
// stale is told by name whose changes came in. Empty for reports not saved
// since they were imported (the importer is then the last to have saved).
export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE reports ADD COLUMN updated_by integer REFERENCES users (id)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE reports DROP COLUMN updated_by');
}
