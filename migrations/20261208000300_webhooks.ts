import type { Knex } from 'knex';

// Webhooks: a newsroom's other systems hear when a claim moves.
//
// webhook_endpoints: where an admin asked the desk to send which events, and
// the secret each delivery is signed with. An endpoint whose deliveries keep
// failing is disabled by the dispatcher, with the reason and the time.
//
// webhook_deliveries: the outbox. One row per endpoint per event, written by
// a trigger on claim_events in the transaction that records the transition,
// so a committed change always has its deliveries and a rolled-back one has
// none; the app's dispatcher sends them after the commit and keeps their
// state (pending, failed and waiting for a retry, delivered, dead). The
// payload is built here, from the claim as the transition left it.
//
// webhook_attempts: each try at sending a delivery, with its answer.
//
// The trigger maps the state table's actions (server/review/states.ts) to
// the events of server/webhooks/events.ts, which test/webhooks checks:
// submit and resubmit -> claim.submitted; verify, refute, mark_unverifiable
// -> claim.decided; reopen -> claim.reopened; withdraw -> claim.withdrawn.
// Its function runs with its owner's rights and the search_path it was made
// with, as the status counters do.
const EVENTS = ['claim.submitted', 'claim.decided', 'claim.reopened', 'claim.withdrawn'];
const ACTIONS: [string, string][] = [
  ['submit', 'claim.submitted'],
  ['resubmit', 'claim.submitted'],
  ['verify', 'claim.decided'],
  ['refute', 'claim.decided'],
  ['mark_unverifiable', 'claim.decided'],
  ['reopen', 'claim.reopened'],
  ['withdraw', 'claim.withdrawn'],
];
const list = (values: string[]) => values.map((v) => `'${v}'`).join(', ');

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE webhook_endpoints (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      url text NOT NULL CHECK (url ~ '^(http|https)://' AND char_length(url) <= 2000),
      events text[] NOT NULL CHECK (cardinality(events) >= 1 AND events <@ ARRAY[${list(EVENTS)}]::text[]),
      secret text NOT NULL CHECK (char_length(secret) BETWEEN 16 AND 200),
      enabled boolean NOT NULL DEFAULT true,
      consecutive_failures integer NOT NULL DEFAULT 0 CHECK (consecutive_failures >= 0),
      disabled_at timestamptz,
      disabled_reason text CHECK (char_length(disabled_reason) <= 1000),
      created_by integer NOT NULL REFERENCES users (id),
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK (enabled = (disabled_at IS NULL))
    );

    CREATE TABLE webhook_deliveries (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      endpoint_id integer NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
      -- The transition it tells of. No foreign key: claim_events is append-only, and a TRUNCATE of it must
      -- still meet its own refusal rather than a reference's.
      claim_event_id bigint NOT NULL,
      event text NOT NULL CHECK (event IN (${list(EVENTS)})),
      payload jsonb NOT NULL CHECK (jsonb_typeof(payload) = 'object'),
      state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'failed', 'delivered', 'dead')),
      attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
      next_attempt_at timestamptz,
      last_attempt_at timestamptz,
      last_status integer,
      last_response_ms integer,
      last_error text CHECK (char_length(last_error) <= 1000),
      delivered_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (endpoint_id, claim_event_id),
      CHECK ((state IN ('pending', 'failed')) = (next_attempt_at IS NOT NULL))
    );
    CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state IN ('pending', 'failed');
    CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, id DESC);
    CREATE INDEX webhook_deliveries_event ON webhook_deliveries (claim_event_id);

    CREATE TABLE webhook_attempts (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      delivery_id bigint NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
      at timestamptz NOT NULL DEFAULT now(),
      status integer,
      response_ms integer CHECK (response_ms >= 0),
      error text CHECK (char_length(error) <= 1000)
    );
    CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, id);

    CREATE FUNCTION webhook_deliveries_for_event() RETURNS trigger
      LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $fn$
    DECLARE
      hook text;
      body jsonb;
    BEGIN
      hook := CASE NEW.action ${ACTIONS.map(([action, event]) => `WHEN '${action}' THEN '${event}'`).join(' ')} END;
      IF hook IS NULL OR NOT EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.enabled AND hook = ANY (e.events)) THEN
        RETURN NULL;
      END IF;
      SELECT jsonb_build_object(
               'event', hook,
               'occurredAt', to_char(NEW.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
               'claim', jsonb_build_object(
                 'id', c.id,
                 'statement', c.statement,
                 'status', NEW.to_status,
                 'verdict', l.name,
                 'confidence', c.confidence,
                 'report', jsonb_build_object('id', r.id, 'title', r.title)),
               'actor', CASE WHEN u.id IS NULL THEN NULL ELSE jsonb_build_object('id', u.id, 'name', u.display_name) END,
               'comment', NEW.comment)
        INTO body
        FROM claims c
        JOIN reports r ON r.id = c.report_id
        LEFT JOIN verdict_labels l ON l.id = c.verdict_label_id AND NEW.to_status IN ('verified', 'refuted', 'unverifiable')
        LEFT JOIN users u ON u.id = NEW.actor_id
       WHERE c.id = NEW.claim_id;
      INSERT INTO webhook_deliveries (endpoint_id, claim_event_id, event, payload, next_attempt_at)
        SELECT e.id, NEW.id, hook, body, now() FROM webhook_endpoints e WHERE e.enabled AND hook = ANY (e.events) ORDER BY e.id;
      RETURN NULL;
    END
    $fn$;
    CREATE TRIGGER claim_events_webhooks AFTER INSERT ON claim_events
      FOR EACH ROW WHEN (NEW.type = 'transition') EXECUTE FUNCTION webhook_deliveries_for_event();
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DROP TRIGGER claim_events_webhooks ON claim_events;
    DROP FUNCTION webhook_deliveries_for_event();
    DROP TABLE webhook_attempts;
    DROP TABLE webhook_deliveries;
    DROP TABLE webhook_endpoints;
  `);
}
