import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Db } from '../../server/platform/database.ts';
import { migrateToLatest } from '../../server/platform/migrate.ts';
import { DECIDED_STATUSES, STATUSES, type Status } from '../../server/claims/statuses.ts';
import { TRANSITIONS } from '../../server/review/states.ts';
import { createTestDatabase } from '../support/database.ts';
import { makeUser, withDecisionGuardsOff } from '../support/factories.ts';

describe('the database keeps its own rules', () => {
  let db: Db;
  let close: () => Promise<void>;
  let claimId: number;
  let userId: number;

  before(async () => {
    const database = await createTestDatabase();
    db = database.db;
    close = database.close;
    const user = await makeUser(db);
    userId = user.id;
    const [report] = await db('reports').insert({ title: 'A report', body: 'Some text to quote.', imported_by: userId }).returning('id');
    const [claim] = await db('claims')
      .insert({ report_id: report.id, statement: 'A claim', quote: 'Some text', quote_start: 0, quote_end: 9, kind: 'factual', authors: [userId], created_by: userId })
      .returning('id');
    claimId = claim.id;
    await db('claim_events').insert({ claim_id: claimId, actor_id: userId, type: 'created' });
  });
  after(() => close());

  test('running the migrations again applies nothing', async () => {
    assert.deepEqual(await migrateToLatest(db), []);
  });

  test('an UPDATE of a claim_events row is refused', async () => {
    await assert.rejects(db('claim_events').where({ claim_id: claimId }).update({ comment: 'rewritten' }), /append-only/);
  });

  test('a DELETE of a claim_events row is refused', async () => {
    await assert.rejects(db('claim_events').where({ claim_id: claimId }).delete(), /append-only/);
  });

  test('a TRUNCATE of claim_events is refused', async () => {
    await assert.rejects(db.raw('TRUNCATE claim_events'), /append-only/);
  });

  test("a claim with status 'bogus' is refused", async () => {
    await assert.rejects(db('claims').where({ id: claimId }).update({ status: 'bogus' }), (err: { code?: string }) => err.code === '23514');
  });

  test("a source with reliability 'Z' is refused", async () => {
    await assert.rejects(
      db('sources').insert({ kind: 'web_page', title: 'A source', reliability: 'Z', created_by: userId }),
      (err: { code?: string }) => err.code === '23514',
    );
  });

  test('an evidence credibility of 7 is refused', async () => {
    const [source] = await db('sources').insert({ kind: 'web_page', title: 'Another source', reliability: 'B', created_by: userId }).returning('id');
    await assert.rejects(
      db('evidence_links').insert({ claim_id: claimId, source_id: source.id, relation: 'supports', credibility: 7, created_by: userId }),
      (err: { code?: string }) => err.code === '23514',
    );
  });

  test('the database lets a status change only along an edge of the state table, and only with a new version', async () => {
    const decider = await makeUser(db, { role: 'reviewer' });
    const edges = new Set(Object.values(TRANSITIONS).flatMap((t) => t.from.map((from) => `${from}>${t.to}`)));
    const isDecided = (s: Status) => (DECIDED_STATUSES as readonly Status[]).includes(s);
    const [report] = await db('reports').insert({ title: 'Edges', body: 'Some text to quote.', imported_by: userId }).returning('id');
    const tried: string[] = [];
    // A decided claim carries a verdict label of its status (another trigger's rule, kept here too).
    const labels = (await db('verdict_labels').select('id', 'status')) as { id: number; status: Status }[];
    const labelOf = (s: Status) => (isDecided(s) ? labels.find((l) => l.status === s)!.id : null);
    for (const from of STATUSES) {
      for (const to of STATUSES.filter((s) => s !== from)) {
        const decided = isDecided(from) ? { decided_by: decider.id, decided_at: db.fn.now(), verdict_label_id: labelOf(from) } : {};
        // A claim is born a draft; one in any other status is set up as a restore would bring it, the guard held off.
        const claim = await withDecisionGuardsOff(db, async (trx) => {
          const [row] = await trx('claims')
            .insert({ report_id: report.id, statement: 'A claim', quote: 'Some text', quote_start: 0, quote_end: 9, kind: 'factual', authors: [userId], created_by: userId, status: from, ...decided })
            .returning('id');
          return row as { id: number };
        });
        const change = {
          status: to,
          status_changed_by: decider.id,
          ...(isDecided(to) ? { decided_by: decider.id, decided_at: db.fn.now() } : { decided_by: null, decided_at: null }),
          verdict_label_id: labelOf(to),
        };
        const update = (versioned: boolean) => db('claims').where({ id: claim.id }).update({ ...change, version: db.raw(versioned ? 'version + 1' : 'version') });
        if (edges.has(`${from}>${to}`)) {
          await assert.rejects(update(false), /needs a new version/, `${from} -> ${to} without a new version`);
          await update(true);
          tried.push(`${from}>${to}`);
        } else {
          await assert.rejects(update(true), (err: { code?: string }) => err.code === '23514', `${from} -> ${to} is not in the table`);
        }
      }
    }
    assert.deepEqual(tried.sort(), [...edges].sort(), 'every edge of the table is open in the database');
  });

  test('a decided claim names its decider, and a claim that is not decided names none', async () => {
    await assert.rejects(
      db('claims').insert({ report_id: (await db('reports').first('id')).id, statement: 'A claim', quote: 'Some text', quote_start: 0, quote_end: 9, kind: 'factual', authors: [userId], created_by: userId, status: 'verified' }),
      /claims_decided_names_decider|born a draft/,
    );
    await assert.rejects(db('claims').where({ id: claimId }).update({ decided_by: userId, decided_at: db.fn.now() }), /claims_decider_not_author|claims_decided_names_decider|changes only with a change of status/);
  });

  test('two users whose emails differ only in case are refused', async () => {
    await makeUser(db, { email: 'Same@Desk.test' });
    await assert.rejects(makeUser(db, { email: 'same@desk.TEST' }), (err: { code?: string }) => err.code === '23505');
  });
});
