import type { Knex } from 'knex';

// Indexes the benchmark asked for:
// - "take next" reads the unassigned claims in queue order, without walking
//   past the assigned ones;
// - the queue's age buckets count in-review claims by submission time;
// - claimant suggestions match a typed prefix (text_pattern_ops serves LIKE 'x%'
//   whatever the database's collation);
// - exports of a status walk claims in id order.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE INDEX claims_queue_unassigned ON claims (priority DESC, submitted_at, id) WHERE status = 'in_review' AND assignee_id IS NULL;
    CREATE INDEX claims_in_review_submitted ON claims (submitted_at) WHERE status = 'in_review';
    CREATE INDEX claims_claimant_prefix ON claims (lower(claimant) text_pattern_ops);
    CREATE INDEX claims_status_id ON claims (status, id);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DROP INDEX claims_queue_unassigned;
    DROP INDEX claims_in_review_submitted;
    DROP INDEX claims_claimant_prefix;
    DROP INDEX claims_status_id;
  `);
}
