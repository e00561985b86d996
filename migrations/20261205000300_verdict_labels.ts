import type { Knex } from 'knex';

// Verdicts in the desk's own words: labels an admin defines, ordered, each
// for one decided status and, where it has one, a rating on the desk's 1-5
// scale (ClaimReview's ratingValue). A decided claim carries one label of its
// status; a claim that is not decided carries none. A label moves a claim to
// another label of the same status only when an admin deletes it, recorded
// as a 'relabelled' event. The defaults are the scale most fact-checkers
// publish; existing decided claims get the plainest label of their status
// (True, False, Unverifiable).
const TYPES = ['created', 'edited', 'evidence_linked', 'evidence_changed', 'evidence_unlinked', 'transition', 'assigned', 'reanchored', 'source_changed', 'rechecked'];
const check = (types: string[]) => `CHECK (type IN (${types.map((t) => `'${t}'`).join(', ')})) NOT VALID`;

const DEFAULTS = [
  { name: 'True', status: 'verified', rating: 5, colour: '#2e7d32', description: 'The claim is accurate.' },
  { name: 'Mostly true', status: 'verified', rating: 4, colour: '#689f38', description: 'Accurate, but needs a detail or some context added.' },
  { name: 'Mostly false', status: 'refuted', rating: 2, colour: '#ef6c00', description: 'Holds an element of truth, but as a whole it is wrong.' },
  { name: 'False', status: 'refuted', rating: 1, colour: '#c62828', description: 'The claim is wrong.' },
  { name: 'Unverifiable', status: 'unverifiable', rating: null, colour: '#616161', description: 'Neither shown true nor false by the evidence there is.' },
];

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE verdict_labels (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 60),
      status text NOT NULL CHECK (status IN ('verified', 'refuted', 'unverifiable')),
      rating smallint CHECK (rating BETWEEN 1 AND 5),
      colour text NOT NULL CHECK (colour ~ '^#[0-9a-f]{6}$'),
      description text NOT NULL DEFAULT '' CHECK (char_length(description) <= 300),
      position integer NOT NULL,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX verdict_labels_name ON verdict_labels (lower(name));
    ALTER TABLE claims ADD COLUMN verdict_label_id integer REFERENCES verdict_labels (id);
    CREATE INDEX claims_verdict_label ON claims (verdict_label_id) WHERE verdict_label_id IS NOT NULL;

    ALTER TABLE claim_events DROP CONSTRAINT claim_events_type_check;
    ALTER TABLE claim_events ADD CONSTRAINT claim_events_type_check ${check([...TYPES, 'relabelled'])};
    ALTER TABLE claim_events VALIDATE CONSTRAINT claim_events_type_check;
  `);
  for (const [i, label] of DEFAULTS.entries()) await knex('verdict_labels').insert({ ...label, position: i + 1 });
  await knex.raw(`
    UPDATE claims c SET verdict_label_id = (
      SELECT l.id FROM verdict_labels l WHERE l.status = c.status
       ORDER BY CASE l.status WHEN 'verified' THEN -l.rating WHEN 'refuted' THEN l.rating END NULLS LAST, l.position, l.id LIMIT 1)
     WHERE c.status IN ('verified', 'refuted', 'unverifiable');

    CREATE FUNCTION claims_label_guard() RETURNS trigger LANGUAGE plpgsql AS $fn$
    DECLARE
      label_status text;
    BEGIN
      SELECT status INTO label_status FROM verdict_labels WHERE id = NEW.verdict_label_id;
      IF (NEW.status IN ('verified', 'refuted', 'unverifiable')) IS DISTINCT FROM (NEW.verdict_label_id IS NOT NULL)
         OR (NEW.verdict_label_id IS NOT NULL AND label_status IS DISTINCT FROM NEW.status) THEN
        RAISE EXCEPTION 'a decided claim carries one verdict label of its status, and a claim that is not decided carries none'
          USING ERRCODE = 'check_violation', CONSTRAINT = 'claims_verdict_label';
      END IF;
      RETURN NEW;
    END
    $fn$;
    CREATE TRIGGER claims_label_guard BEFORE INSERT OR UPDATE OF status, verdict_label_id ON claims
      FOR EACH ROW EXECUTE FUNCTION claims_label_guard();
  `);
}

// Going back leaves the 'relabelled' events already written (the history cannot be rewritten).
export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DROP TRIGGER claims_label_guard ON claims;
    DROP FUNCTION claims_label_guard();
    ALTER TABLE claim_events DROP CONSTRAINT claim_events_type_check;
    ALTER TABLE claim_events ADD CONSTRAINT claim_events_type_check ${check(TYPES)};
    ALTER TABLE claims DROP COLUMN verdict_label_id;
    DROP TABLE verdict_labels;
  `);
}
