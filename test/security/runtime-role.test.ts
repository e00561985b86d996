import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { User } from '../../server/accounts/users.repo.ts';
import { RUNTIME_RIGHTS, roleStanding, standingWarning } from '../../server/platform/db-roles.ts';
import type { Db } from '../../server/platform/database.ts';
import { createTestDatabase, onServer, type TestDatabase } from '../support/database.ts';
import { makeClaimIn, makeDesk, makeReport } from '../support/factories.ts';

/*
 * An attacker holding the app's own database connection (a leaked
 * DATABASE_URL, an injection): the runtime role is tried with every way
 * around the desk's rules we know of, as plain SQL. Each must be refused,
 * and afterwards every guarded table must be as it was.
 */
describe(`the runtime role cannot get around the desk's rules (${onServer() ? 'server' : 'embedded'})`, () => {
  let database: TestDatabase;
  let runtime: Db;
  let people: Record<'editor' | 'editor2' | 'reviewer' | 'reviewer2', User>;
  let inReview: number;
  let verified: number;
  let refuted: number;
  let before_: Record<string, unknown[]>;
  let tried = 0;
  let refused = 0;

  const GUARDED = ['claims', 'claim_events', 'comments', 'export_log', 'claim_status_counts', 'app_secrets', 'knex_migrations', 'users'];
  const snapshot = async () => Object.fromEntries(await Promise.all(GUARDED.map(async (t) => [t, await database.db(t).select('*').orderByRaw('1')] as const)));

  /** Runs `sql` as the runtime role and expects PostgreSQL to refuse it. */
  async function refuses(sql: string, bindings: unknown[], why: RegExp): Promise<void> {
    tried += 1;
    await assert.rejects(runtime.raw(sql, bindings as never), (err: Error) => {
      assert.match(err.message, why, sql);
      return true;
    });
    refused += 1;
  }

  before(async () => {
    database = await createTestDatabase();
    runtime = database.runtime.db;
    people = await makeDesk(database.db, ['editor', 'editor2', 'reviewer', 'reviewer2']);
    const reportId = await makeReport(database.db, people.editor);
    const claim = (status: 'in_review' | 'verified' | 'refuted') => makeClaimIn(database.db, status, { author: people.editor, reviewer: people.reviewer, reportId });
    inReview = await claim('in_review');
    verified = await claim('verified');
    refuted = await claim('refuted');
    before_ = await snapshot();
  });
  after(async () => {
    console.log(`runtime role: ${tried} forbidden statements tried, ${refused} refused (${onServer() ? 'server' : 'embedded'})`);
    await database?.close();
  });

  const NO_RIGHT = /permission denied|must be owner|must be superuser|permission to set parameter|insufficient privilege/i;

  test('it cannot change the schema, switch a trigger off, or leave the rules behind', async () => {
    await refuses('CREATE TABLE stolen (id int)', [], NO_RIGHT);
    await refuses('ALTER TABLE claims ADD COLUMN backdoor text', [], NO_RIGHT);
    await refuses('DROP TABLE claim_events', [], NO_RIGHT);
    await refuses('DROP TRIGGER claims_guard ON claims', [], NO_RIGHT);
    await refuses('ALTER TABLE claims DISABLE TRIGGER claims_guard', [], NO_RIGHT);
    await refuses('ALTER TABLE claim_events DISABLE TRIGGER USER', [], NO_RIGHT);
    await refuses('ALTER TABLE claims DISABLE TRIGGER ALL', [], NO_RIGHT);
    await refuses("CREATE OR REPLACE FUNCTION claims_guard() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END'", [], NO_RIGHT);
    await refuses('SET session_replication_role = replica', [], NO_RIGHT);
    await refuses('TRUNCATE claims CASCADE', [], NO_RIGHT);
    await refuses(`SET ROLE ${onServer() ? 'postgres' : 'factdesk'}`, [], NO_RIGHT);
    await refuses(`ALTER ROLE ${database.runtimeRole} SUPERUSER`, [], NO_RIGHT);
    await refuses('CREATE ROLE intruder LOGIN', [], NO_RIGHT);
  });

  test('it cannot rewrite the history, the comments, the export log, the counts, the secret or the migrations', async () => {
    await refuses('UPDATE claim_events SET comment = ? WHERE claim_id = ?', ['rewritten', verified], NO_RIGHT);
    await refuses('DELETE FROM claim_events WHERE claim_id = ?', [verified], NO_RIGHT);
    await refuses('TRUNCATE claim_events', [], NO_RIGHT);
    await refuses('UPDATE comments SET body = ?', ['rewritten'], NO_RIGHT);
    await refuses('DELETE FROM comments', [], NO_RIGHT);
    await refuses('DELETE FROM export_log', [], NO_RIGHT);
    await refuses('DELETE FROM claims WHERE id = ?', [verified], NO_RIGHT);
    await refuses('UPDATE claim_status_counts SET n = 0', [], NO_RIGHT);
    await refuses("UPDATE app_secrets SET value = repeat('x', 40)", [], NO_RIGHT);
    await refuses("INSERT INTO app_secrets (name, value) VALUES ('other', repeat('x', 40))", [], NO_RIGHT);
    await refuses('DELETE FROM knex_migrations', [], NO_RIGHT);
    await refuses('UPDATE knex_migrations_lock SET is_locked = 1', [], NO_RIGHT);
  });

  test('it cannot write a decision any way but the transition: the five known bypasses and their kin', async () => {
    const { editor, editor2, reviewer, reviewer2 } = people;
    // 1. Repeat a decided status with new decision fields (verified -> verified, refuted -> refuted).
    for (const [id, status] of [[verified, 'verified'], [refuted, 'refuted']] as const) {
      await refuses(
        'UPDATE claims SET status = ?, status_changed_by = ?, decided_by = ?, decided_at = now(), status_changed_at = now(), version = version + 1 WHERE id = ?',
        [status, reviewer2.id, reviewer2.id, id],
        /record of a decision changes only with a change of status/,
      );
      await refuses('UPDATE claims SET rationale = ?, version = version + 1 WHERE id = ?', ['Rewritten after the fact.', id], /record of a decision changes only with a change of status/);
      await refuses("UPDATE claims SET confidence = 'low' WHERE id = ?", [id], /record of a decision changes only with a change of status/);
    }
    // 2. A claim verified from birth, or born submitted, assigned or at a later version.
    const born = (extra: string, values: string) =>
      refuses(
        `INSERT INTO claims (report_id, statement, quote, quote_start, quote_end, kind, authors, created_by${extra})
         SELECT report_id, statement, quote, quote_start, quote_end, kind, ARRAY[?::int], ?${values} FROM claims WHERE id = ?`,
        [editor.id, editor.id, inReview],
        /born a draft/,
      );
    await born(', status, decided_by, decided_at, status_changed_by, status_changed_at', `, 'verified', ${reviewer.id}, now(), ${reviewer.id}, now()`);
    await born(', status', `, 'in_review'`);
    await born(', assignee_id', `, ${reviewer.id}`);
    await born(', version', ', 7');
    // 3. A forged decision event: signed by the author, by a reviewer who made no such change, or a second copy of a real one.
    const forge = (claimId: number, actor: number, from: string, to: string) =>
      refuses(
        "INSERT INTO claim_events (claim_id, actor_id, type, action, from_status, to_status, comment) VALUES (?, ?, 'transition', 'verify', ?, ?, 'forged')",
        [claimId, actor, from, to],
        /transition is recorded only with the change of status it records/,
      );
    await forge(inReview, editor.id, 'in_review', 'verified');
    await forge(inReview, reviewer2.id, 'in_review', 'verified');
    await forge(verified, reviewer.id, 'in_review', 'verified');
    await forge(verified, editor.id, 'in_review', 'verified');
    // 4. An editor (not a reviewer) named as the decider, and a decider who is not the one who changed the status.
    const decide = (by: number, decider: number) =>
      runtime.raw('UPDATE claims SET status = ?, status_changed_by = ?, decided_by = ?, decided_at = now(), status_changed_at = now(), version = version + 1 WHERE id = ?', [
        'verified',
        by,
        decider,
        inReview,
      ]);
    tried += 1;
    await assert.rejects(decide(editor2.id, editor2.id), /only a reviewer or an admin decides a claim/);
    refused += 1;
    tried += 1;
    await assert.rejects(decide(reviewer.id, reviewer2.id), /names as its decider the person who made it/);
    refused += 1;
    // 5. After a colleague's verdict, its record rewritten to the author while the status stays.
    await refuses('UPDATE claims SET status_changed_by = ? WHERE id = ?', [editor.id, verified], /record of a decision changes only with a change of status/);
    await refuses('UPDATE claims SET decided_by = ?, status_changed_by = ? WHERE id = ?', [editor.id, editor.id, verified], /record of a decision changes only with a change of status/);
    await refuses('UPDATE claims SET decided_at = decided_at - ?::interval WHERE id = ?', ['1 day', verified], /record of a decision changes only with a change of status/);
    // And what the database refused before stays refused: an author as decider, a change without a new version, a reopening by an editor.
    await refuses("UPDATE claims SET status = 'verified', status_changed_by = ?, decided_by = ?, decided_at = now(), version = version + 1 WHERE id = ?", [editor.id, editor.id, inReview], /four-eyes rule/);
    await refuses("UPDATE claims SET status = 'refuted', status_changed_by = ?, decided_by = ?, decided_at = now() WHERE id = ?", [reviewer.id, reviewer.id, inReview], /needs a new version/);
    await refuses("UPDATE claims SET status = 'changes_requested', status_changed_by = ?, decided_by = NULL, decided_at = NULL, version = version + 1 WHERE id = ?", [editor2.id, verified], /only a reviewer or an admin/);
    await refuses('UPDATE claims SET assignee_id = ? WHERE id = ?', [editor.id, inReview], /cannot be assigned to one of its authors/);
  });

  test('nothing it tried changed anything', async () => {
    assert.deepEqual(await snapshot(), before_);
    assert.equal(refused, tried);
    assert.ok(tried >= 40, `${tried} statements tried`);
  });

  test('what it may do is listed for every table, and it has exactly that', async () => {
    const { rows } = await database.db.raw<{ rows: { table: string }[] }>(
      `SELECT relname AS table FROM pg_class WHERE relnamespace = current_schema()::regnamespace AND relkind = 'r' ORDER BY 1`,
    );
    const tables = rows.map((r) => r.table);
    assert.deepEqual(tables.filter((t) => !(t in RUNTIME_RIGHTS)), [], 'every table has its rights listed in server/platform/db-roles.ts');
    for (const table of tables) {
      for (const right of ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) {
        const { rows: has } = await database.db.raw<{ rows: { ok: boolean }[] }>('SELECT has_table_privilege(?, ?, ?) AS ok', [database.runtimeRole, `${database.schema}.${table}`, right]);
        assert.equal(has[0]!.ok, (RUNTIME_RIGHTS[table] as string[]).includes(right), `${right} on ${table}`);
      }
    }
  });

  test('at start-up the app says in one line when it serves requests as a superuser or as the owner of its tables', async () => {
    const owner = await roleStanding(database.db);
    assert.equal(owner.superuser, true, 'the tests set up as a superuser');
    assert.match(standingWarning(owner) ?? '', /^Factdesk serves requests as the PostgreSQL superuser "[^"]+", which can switch off every safeguard/);
    assert.match(standingWarning({ role: 'factdesk_owner', superuser: false, ownsTables: true }) ?? '', /the owner of its tables/);
    const app = await roleStanding(runtime);
    assert.deepEqual(app, { role: database.runtimeRole, superuser: false, ownsTables: false });
    assert.equal(standingWarning(app), null);
  });
});
