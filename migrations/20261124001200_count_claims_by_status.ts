import type { Knex } from 'knex';

// Claims per status, kept by statement-level triggers (one UPDATE per
// statement, however many rows it touched), so the counts shown above every
// list cost a 7-row read instead of a scan of all claims.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE claim_status_counts (
      status text PRIMARY KEY,
      n bigint NOT NULL DEFAULT 0 CHECK (n >= 0)
    );
    INSERT INTO claim_status_counts (status, n)
      SELECT s, (SELECT count(*) FROM claims WHERE status = s)
        FROM unnest(ARRAY['draft', 'in_review', 'changes_requested', 'verified', 'refuted', 'unverifiable', 'withdrawn']) AS s;

    CREATE FUNCTION claim_status_counts_insert() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
      UPDATE claim_status_counts c SET n = c.n + d.n
        FROM (SELECT status, count(*) AS n FROM inserted GROUP BY status) d WHERE c.status = d.status;
      RETURN NULL;
    END
    $fn$;
    CREATE FUNCTION claim_status_counts_update() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
      UPDATE claim_status_counts c SET n = c.n + d.delta
        FROM (
          SELECT status, sum(delta) AS delta FROM (
            SELECT o.status, -1 AS delta FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE n.status <> o.status
            UNION ALL
            SELECT n.status, 1 FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE n.status <> o.status
          ) changes GROUP BY status
        ) d WHERE c.status = d.status;
      RETURN NULL;
    END
    $fn$;
    CREATE FUNCTION claim_status_counts_delete() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
      UPDATE claim_status_counts c SET n = c.n - d.n
        FROM (SELECT status, count(*) AS n FROM deleted GROUP BY status) d WHERE c.status = d.status;
      RETURN NULL;
    END
    $fn$;
    CREATE TRIGGER claims_count_insert AFTER INSERT ON claims REFERENCING NEW TABLE AS inserted
      FOR EACH STATEMENT EXECUTE FUNCTION claim_status_counts_insert();
    CREATE TRIGGER claims_count_update AFTER UPDATE ON claims REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION claim_status_counts_update();
    CREATE TRIGGER claims_count_delete AFTER DELETE ON claims REFERENCING OLD TABLE AS deleted
      FOR EACH STATEMENT EXECUTE FUNCTION claim_status_counts_delete();
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DROP TRIGGER claims_count_insert ON claims;
    DROP TRIGGER claims_count_update ON claims;
    DROP TRIGGER claims_count_delete ON claims;
    DROP FUNCTION claim_status_counts_insert();
    DROP FUNCTION claim_status_counts_update();
    DROP FUNCTION claim_status_counts_delete();
    DROP TABLE claim_status_counts;
  `);
}
