import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Db } from '../../server/platform/database.ts';
import { migrateToLatest } from '../../server/platform/migrate.ts';
import { createTestDatabase } from '../support/database.ts';
import { makeUser } from '../support/factories.ts';

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

  test('two users whose emails differ only in case are refused', async () => {
    await makeUser(db, { email: 'Same@Desk.test' });
    await assert.rejects(makeUser(db, { email: 'same@desk.TEST' }), (err: { code?: string }) => err.code === '23505');
  });
});
