import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import knex, { type Knex } from 'knex';
import { runningEmbeddedUrl } from '../../server/platform/embedded/start.ts';
import { signatureOf } from '../../server/webhooks/signing.ts';
import { csrfFrom } from '../support/client.ts';
import { createEmptySchema, onServer, type EmptySchema } from '../support/database.ts';
import { killDatabaseProcesses } from '../support/embedded-processes.ts';
import { eventually } from '../support/eventually.ts';
import { makeClaimIn, makeDesk, makeUser, TEST_PASSWORD } from '../support/factories.ts';
import { startPageServer } from '../support/page-server.ts';
import { insertEndpoint } from '../../server/webhooks/endpoints.repo.ts';
import { startServer, submitForm, type RunningServer } from '../support/process.ts';
import { startReceiver, type Receiver } from './support.ts';

const ENGINE = onServer() ? 'the PostgreSQL server' : 'the embedded PostgreSQL of the app’s own DATA_DIR';
const SECRET = 'the crash test shared secret';

interface Session {
  cookie: string;
  csrf: string;
}

/** Signs in on a running process through its sign-in form. */
async function signIn(base: string, email: string): Promise<Session> {
  const { res, cookie } = await submitForm(base, '/login', { email, password: TEST_PASSWORD });
  assert.equal(res.status, 303, `sign-in of ${email}`);
  const page = await fetch(`${base}/account`, { headers: { cookie } });
  return { cookie, csrf: csrfFrom(await page.text()) };
}

/** Posts a form as a signed-in browser would; the redirect is not followed. */
function postForm(base: string, session: Session, pathname: string, fields: Record<string, string | string[]>): Promise<Response> {
  const body = new URLSearchParams({ _csrf: session.csrf });
  for (const [key, value] of Object.entries(fields)) for (const v of ([] as string[]).concat(value)) body.append(key, v);
  return fetch(`${base}${pathname}`, { method: 'POST', redirect: 'manual', headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() });
}

/*
 * The outbox across a crash: a decision committed by one process, which is
 * killed (SIGKILL) before it sends the delivery, is delivered by the next
 * start; a graceful stop does not wait for a receiver that does not answer. On a PostgreSQL server the processes share a schema; on the
 * embedded default each start runs the app's own database in DATA_DIR (the
 * killed app's database runs on as an orphan, which the next start stops).
 */
describe(`webhooks across a crash and a stop of the app (${ENGINE})`, () => {
  let dataDir: string;
  let schema: EmptySchema | undefined;
  let owner: Knex | undefined;
  let receiver: Receiver;
  let env: Record<string, string>;
  const servers: RunningServer[] = [];

  const start = async (pollMs: number): Promise<RunningServer> => {
    const server = await startServer({ ...env, WEBHOOK_POLL_MS: String(pollMs) }, 120_000);
    servers.push(server);
    return server;
  };
  /** The database as its owner, through whichever server now runs it. */
  const connectOwner = async (): Promise<Knex> => {
    await owner?.destroy();
    const url = schema ? schema.ownerUrl : (await runningEmbeddedUrl(dataDir))!;
    owner = knex({ client: 'pg', connection: url, pool: { min: 0, max: 2 } });
    return owner;
  };

  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'factdesk-webhooks-'));
    receiver = await startReceiver();
    env = { DATA_DIR: dataDir, SESSION_SECRET: '', FETCH_ALLOW_HOSTS: '127.0.0.1', BASE_URL: 'http://factdesk.test', DATABASE_URL: '', DATABASE_MIGRATION_URL: '' };
    if (onServer()) {
      schema = await createEmptySchema();
      Object.assign(env, { DATABASE_URL: schema.runtimeUrl, DATABASE_MIGRATION_URL: schema.ownerUrl });
    }
  });
  after(async () => {
    for (const s of servers) if (s.child.exitCode === null && s.child.signalCode === null) await Promise.race([s.stop('SIGTERM'), new Promise((r) => setTimeout(r, 10_000))]);
    await owner?.destroy();
    await schema?.drop();
    if (!schema) killDatabaseProcesses(dataDir);
    await receiver.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  test('the first process commits a decision and is killed before it sends; the next start delivers it, once', async () => {
    const first = await start(86_400_000); // polls once at start, then not for a day
    const db = await connectOwner();
    const people = await makeDesk(db, ['editor', 'reviewer', 'admin']);
    const claimId = await makeClaimIn(db, 'in_review', { author: people.editor });

    const admin = await signIn(first.url, people.admin.email);
    const added = await postForm(first.url, admin, '/admin/webhooks', { url: receiver.url, events: ['claim.decided'], secret: SECRET });
    assert.equal(added.status, 303, 'the admin registers the receiver');
    const reviewer = await signIn(first.url, people.reviewer.email);
    const { version } = (await db('claims').where({ id: claimId }).first('version')) as { version: number };
    const decided = await postForm(first.url, reviewer, `/claims/${claimId}/verify`, { version: String(version), confidence: 'high', comment: 'Matches the records.' });
    assert.equal(decided.status, 303, 'the reviewer verifies the claim: committed');
    assert.deepEqual(await db('webhook_deliveries').select('state', 'attempts'), [{ state: 'pending', attempts: 0 }], 'its delivery waits in the outbox');

    const killed = await first.stop('SIGKILL');
    assert.equal(killed.signal, 'SIGKILL');
    assert.equal(receiver.received.length, 0, 'nothing was sent before the crash');

    const second = await start(100);
    const [got] = await eventually(() => (receiver.received.length > 0 ? receiver.received : null), { timeout: 30_000, what: 'the delivery after the restart' });
    const body = JSON.parse(got!.body) as { event: string; claim: { id: number; status: string; url: string }; actor: { id: number } };
    assert.deepEqual([body.event, body.claim.id, body.claim.status, body.claim.url, body.actor.id], ['claim.decided', claimId, 'verified', `http://factdesk.test/claims/${claimId}`, people.reviewer.id]);
    const timestamp = Number(got!.headers['factdesk-webhook-timestamp']);
    assert.equal(got!.headers['factdesk-webhook-signature'], signatureOf(SECRET, timestamp, got!.body), 'signed with the endpoint’s secret');

    const restarted = await connectOwner();
    await eventually(async () => ((await restarted('webhook_deliveries').first('state')) as { state: string }).state === 'delivered', { what: 'the delivery recorded as delivered' });
    const stopped = await second.stop('SIGTERM');
    assert.equal(stopped.code, 0, 'a graceful stop');
    assert.ok(stopped.ms < 10_000, `the stop took ${stopped.ms} ms`);
    assert.equal(receiver.received.length, 1, 'delivered once');
  });

  test('a graceful stop abandons a sending in flight at once, and gives its delivery back for the next start', async () => {
    let hits = 0;
    const silent = await startPageServer({ '/silent': () => void (hits += 1) }); // takes the request and never answers
    try {
      const first = await start(100);
      const db = await connectOwner();
      const admin = await makeUser(db, { role: 'admin' });
      await insertEndpoint(db, { url: `${silent.origin}/silent`, events: ['claim.withdrawn'], secret: SECRET, createdBy: admin.id });
      await makeClaimIn(db, 'withdrawn', { author: await makeUser(db) });
      await eventually(() => hits === 1, { timeout: 10_000, what: 'the sending to reach the receiver' });
      const stopped = await first.stop('SIGTERM');
      assert.equal(stopped.code, 0);
      assert.ok(stopped.ms < 3_000, `stopped in ${stopped.ms} ms, not after the 10 s a sending may take`);

      await start(100);
      await eventually(() => hits === 2, { timeout: 15_000, what: 'the next start to send it again, without waiting out the lease' });
      const rows = await (await connectOwner())('webhook_deliveries as d').join('webhook_endpoints as e', 'e.id', 'd.endpoint_id').where('e.url', 'like', '%/silent').select('d.id', 'd.attempts');
      assert.equal(rows.length, 1);
      assert.equal(rows[0]!.attempts, 0, 'an abandoned sending is not counted as a failed attempt');
      assert.equal(Number((await owner!('webhook_attempts').where({ delivery_id: rows[0]!.id }).count<{ n: number }[]>('* as n'))[0]!.n), 0);
    } finally {
      await silent.close();
    }
  });
});
