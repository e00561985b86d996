import type { Knex } from 'knex';

// A change to a shared source (its title, URL, publisher or reliability) is
// recorded on every claim that cites it, as a 'source_changed' event. The
// wider CHECK is added NOT VALID and then validated, so the history table is
// not locked against new events while its existing rows are checked.
const TYPES = ['created', 'edited', 'evidence_linked', 'evidence_changed', 'evidence_unlinked', 'transition', 'assigned', 'reanchored'];

const check = (types: string[]) => `CHECK (type IN (${types.map((t) => `'${t}'`).join(', ')})) NOT VALID`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE claim_events DROP CONSTRAINT claim_events_type_check;
    ALTER TABLE claim_events ADD CONSTRAINT claim_events_type_check ${check([...TYPES, 'source_changed'])};
    ALTER TABLE claim_events VALIDATE CONSTRAINT claim_events_type_check;
  `);
}

// Going back leaves the 'source_changed' rows already written (the history
// cannot be rewritten) and refuses new ones.
export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE claim_events DROP CONSTRAINT claim_events_type_check;
    ALTER TABLE claim_events ADD CONSTRAINT claim_events_type_check ${check(TYPES)};
  `);
}
