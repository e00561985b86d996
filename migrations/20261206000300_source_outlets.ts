import type { Knex } from 'knex';

// Outlets: a source belongs to the outlet that publishes it. Factdesk derives
// it from the address's registrable domain (the public suffix list, see
// server/sources/outlets.ts), or from the publisher's name when there is no
// address; an editor may name it instead (a wire story on its own site, a
// newspaper with two domains). Two pieces of evidence from one outlet are not
// independent confirmations.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE sources ADD COLUMN outlet text CHECK (char_length(outlet) BETWEEN 1 AND 200)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE sources DROP COLUMN outlet`);
}
