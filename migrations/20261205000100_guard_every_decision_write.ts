import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';

// The database's backstop now covers every way a decision could be written,
// not only a change of status (see 20261201000500_guard_status_changes.ts for
// the edges and the four-eyes rule on UPDATE):
// - a claim is born a draft: undecided, unsubmitted, unassigned;
// - the record of a decision (who changed the status, when, who decided, and
//   a decided claim's rationale and confidence) changes only with its status;
// - a review action (a decision, a request for changes, a reopening) is made
//   by someone whose role is reviewer or admin, and a decision names as its
//   decider the person who made it;
// - a transition event records the change of status made in the same
//   transaction, once, by the person who made it: a forged one is refused.
// The per-status counts are kept by functions that run with their owner's
// rights, so the runtime role may read the counts but not write them.
// And the session secret lives in the database, so every process of one desk
// signs and reads the same cookies.
const EDGES = [
  ['draft', 'in_review'],
  ['changes_requested', 'in_review'],
  ['in_review', 'changes_requested'],
  ['in_review', 'verified'],
  ['in_review', 'refuted'],
  ['in_review', 'unverifiable'],
  ['verified', 'changes_requested'],
  ['refuted', 'changes_requested'],
  ['unverifiable', 'changes_requested'],
  ['draft', 'withdrawn'],
  ['in_review', 'withdrawn'],
  ['changes_requested', 'withdrawn'],
  ['withdrawn', 'draft'],
] as const;
const EDGE_LIST = EDGES.map(([from, to]) => `('${from}', '${to}')`).join(', ');
const DECIDED = `('verified', 'refuted', 'unverifiable')`;

const UPDATE_CHECKS = `
    IF NOT (NEW.authors @> OLD.authors) THEN
      RAISE EXCEPTION 'the authors of a claim can only grow'
        USING ERRCODE = 'integrity_constraint_violation', CONSTRAINT = 'claims_authors_grow';
    END IF;
    IF NEW.version < OLD.version THEN
      RAISE EXCEPTION 'a claim''s version can only grow'
        USING ERRCODE = 'integrity_constraint_violation', CONSTRAINT = 'claims_version_grows';
    END IF;
    IF NEW.status = 'in_review' AND NEW.assignee_id = ANY (NEW.authors) THEN
      RAISE EXCEPTION 'four-eyes rule: a claim in review cannot be assigned to one of its authors'
        USING ERRCODE = 'insufficient_privilege', CONSTRAINT = 'claims_four_eyes_assignee';
    END IF;
    IF NEW.status IS DISTINCT FROM OLD.status
       AND OLD.status = 'in_review'
       AND NEW.status IN ('verified', 'refuted', 'unverifiable', 'changes_requested')
       AND (NEW.status_changed_by IS NULL OR NEW.status_changed_by = ANY (NEW.authors)) THEN
      RAISE EXCEPTION 'four-eyes rule: a claim cannot be decided by one of its authors'
        USING ERRCODE = 'insufficient_privilege', CONSTRAINT = 'claims_four_eyes';
    END IF;
    IF NEW.status IS DISTINCT FROM OLD.status THEN
      IF (OLD.status, NEW.status) NOT IN (${EDGE_LIST}) THEN
        RAISE EXCEPTION 'a claim cannot go from % to %', OLD.status, NEW.status
          USING ERRCODE = 'check_violation', CONSTRAINT = 'claims_status_edges';
      END IF;
      IF NEW.version <= OLD.version THEN
        RAISE EXCEPTION 'a change of status needs a new version'
          USING ERRCODE = 'integrity_constraint_violation', CONSTRAINT = 'claims_status_versioned';
      END IF;`;

const NEW_CHECKS = `
      IF (OLD.status = 'in_review' AND NEW.status IN ('verified', 'refuted', 'unverifiable', 'changes_requested')
          OR OLD.status IN ${DECIDED} AND NEW.status = 'changes_requested')
         AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = NEW.status_changed_by AND u.role IN ('reviewer', 'admin')) THEN
        RAISE EXCEPTION 'only a reviewer or an admin decides a claim, requests changes or reopens it'
          USING ERRCODE = 'insufficient_privilege', CONSTRAINT = 'claims_decider_role';
      END IF;
      IF NEW.status IN ${DECIDED} AND NEW.decided_by IS DISTINCT FROM NEW.status_changed_by THEN
        RAISE EXCEPTION 'a decision names as its decider the person who made it'
          USING ERRCODE = 'check_violation', CONSTRAINT = 'claims_decider_decides';
      END IF;
    ELSE
      IF (NEW.status_changed_by, NEW.status_changed_at, NEW.decided_by, NEW.decided_at)
           IS DISTINCT FROM (OLD.status_changed_by, OLD.status_changed_at, OLD.decided_by, OLD.decided_at)
         OR (NEW.status IN ${DECIDED} AND (NEW.rationale, NEW.confidence) IS DISTINCT FROM (OLD.rationale, OLD.confidence)) THEN
        RAISE EXCEPTION 'the record of a decision changes only with a change of status'
          USING ERRCODE = 'check_violation', CONSTRAINT = 'claims_decision_by_transition';
      END IF;
    END IF;`;

const BORN_DRAFT = `
    IF TG_OP = 'INSERT' THEN
      IF NEW.status <> 'draft' OR NEW.version <> 1
         OR num_nonnulls(NEW.status_changed_by, NEW.status_changed_at, NEW.decided_by, NEW.decided_at, NEW.submitted_at, NEW.assignee_id) > 0 THEN
        RAISE EXCEPTION 'a claim is born a draft: undecided, unsubmitted and unassigned'
          USING ERRCODE = 'check_violation', CONSTRAINT = 'claims_born_draft';
      END IF;
      RETURN NEW;
    END IF;`;

const guard = (body: string) => `
  CREATE OR REPLACE FUNCTION claims_guard() RETURNS trigger LANGUAGE plpgsql AS $fn$
  BEGIN${body}
    RETURN NEW;
  END
  $fn$;`;

const EVENTS_GUARD = `
  CREATE FUNCTION claim_events_guard() RETURNS trigger LANGUAGE plpgsql AS $fn$
  DECLARE
    c record;
  BEGIN
    -- The history's clock is the database's.
    NEW.created_at := now();
    IF NEW.type <> 'transition' THEN
      RETURN NEW;
    END IF;
    SELECT status, status_changed_by, status_changed_at INTO c FROM claims WHERE id = NEW.claim_id;
    IF NOT FOUND
       OR (NEW.from_status, NEW.to_status) NOT IN (${EDGE_LIST})
       OR c.status IS DISTINCT FROM NEW.to_status
       OR c.status_changed_by IS DISTINCT FROM NEW.actor_id
       OR c.status_changed_at IS DISTINCT FROM now()
       OR EXISTS (SELECT 1 FROM claim_events e WHERE e.claim_id = NEW.claim_id AND e.type = 'transition' AND e.created_at = now()) THEN
      RAISE EXCEPTION 'a transition is recorded only with the change of status it records, once, by whoever made it'
        USING ERRCODE = 'insufficient_privilege', CONSTRAINT = 'claim_events_transition_made';
    END IF;
    RETURN NEW;
  END
  $fn$;
  CREATE TRIGGER claim_events_guard BEFORE INSERT ON claim_events FOR EACH ROW EXECUTE FUNCTION claim_events_guard();`;

const COUNTERS = ['claim_status_counts_insert()', 'claim_status_counts_update()', 'claim_status_counts_delete()'];

export async function up(knex: Knex): Promise<void> {
  for (const fn of COUNTERS) await knex.raw(`ALTER FUNCTION ${fn} SECURITY DEFINER SET search_path FROM CURRENT`);
  await knex.raw(guard(BORN_DRAFT + UPDATE_CHECKS + NEW_CHECKS));
  await knex.raw('DROP TRIGGER claims_guard ON claims');
  await knex.raw('CREATE TRIGGER claims_guard BEFORE INSERT OR UPDATE ON claims FOR EACH ROW EXECUTE FUNCTION claims_guard()');
  await knex.raw(EVENTS_GUARD);
  await knex.raw(`
    CREATE TABLE app_secrets (
      name text PRIMARY KEY,
      value text NOT NULL CHECK (char_length(value) >= 32)
    )`);
  await knex('app_secrets').insert({ name: 'session', value: randomBytes(32).toString('base64url') });
}

export async function down(knex: Knex): Promise<void> {
  for (const fn of COUNTERS) await knex.raw(`ALTER FUNCTION ${fn} SECURITY INVOKER RESET search_path`);
  await knex.raw('DROP TABLE app_secrets');
  await knex.raw('DROP TRIGGER claim_events_guard ON claim_events; DROP FUNCTION claim_events_guard()');
  await knex.raw('DROP TRIGGER claims_guard ON claims');
  await knex.raw(guard(UPDATE_CHECKS + '\n    END IF;'));
  await knex.raw('CREATE TRIGGER claims_guard BEFORE UPDATE ON claims FOR EACH ROW EXECUTE FUNCTION claims_guard()');
}
