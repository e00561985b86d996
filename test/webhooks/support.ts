import assert from 'node:assert/strict';
import type { IncomingHttpHeaders } from 'node:http';
import type { User } from '../../server/accounts/users.repo.ts';
import type { Db } from '../../server/platform/database.ts';
import type { TransitionAction } from '../../server/review/states.ts';
import { dispatchDue, type DispatchDeps, type PassResult } from '../../server/webhooks/dispatcher.ts';
import { createTestApp, type TestContext } from '../support/app.ts';
import { Client } from '../support/client.ts';
import { makeDesk } from '../support/factories.ts';
import { startPageServer } from '../support/page-server.ts';

/** One request a receiver got, and what it answered. */
export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  answered: number;
}

/** A webhook receiver of the test's own on 127.0.0.1 (FETCH_ALLOW_HOSTS=127.0.0.1 lets the desk reach it). */
export interface Receiver {
  url: string;
  received: Received[];
  /** The requests it answered with a 2xx. */
  accepted(): Received[];
  close(): Promise<void>;
}

/** Starts a receiver at /hook that answers the nth request (from 0) with `answer(n)`. */
export async function startReceiver(answer: (n: number) => number = () => 204): Promise<Receiver> {
  const received: Received[] = [];
  const server = await startPageServer({
    '/hook': (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const status = answer(received.length);
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), answered: status });
        res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? '' : 'Not now, try later');
      });
    },
  });
  return {
    url: `${server.origin}/hook`,
    received,
    accepted: () => received.filter((r) => r.answered >= 200 && r.answered < 300),
    close: () => server.close(),
  };
}

/** Registers an endpoint through the admin pages; returns its id. */
export async function addEndpoint(admin: Client, props: { url: string; events?: string[]; secret?: string }): Promise<number> {
  const res = await admin.post('/admin/webhooks', {
    url: props.url,
    events: props.events ?? ['claim.submitted', 'claim.decided', 'claim.reopened', 'claim.withdrawn'],
    secret: props.secret ?? '',
  });
  assert.equal(res.status, 303, `the endpoint is registered: ${res.status} ${res.text.slice(0, 300)}`);
  return Number(/\/admin\/webhooks\/(\d+)$/.exec(res.headers.location ?? '')![1]);
}

/** Takes an action of the state table on a claim at its current version, through the app's own command. */
export async function move(db: Db, actor: User, claimId: number, action: TransitionAction, props: { comment?: string; confidence?: 'high' | 'moderate' | 'low' } = {}): Promise<void> {
  const { transitionClaim } = await import('../../server/review/transitions.ts');
  const { version } = (await db('claims').where({ id: claimId }).first('version')) as { version: number };
  await transitionClaim(db, { actor, claimId, action, version, comment: props.comment ?? null, confidence: props.confidence ?? null });
}

/** One dispatch pass as the app's runtime role, with the app's settings. */
export function dispatch(ctx: TestContext, deps: Partial<DispatchDeps> = {}): Promise<PassResult> {
  return dispatchDue({ db: ctx.appDb, baseUrl: ctx.config.baseUrl, rules: ctx.config.outbound, ...deps });
}

/** Makes every delivery that waits for a retry due now (instead of waiting out its backoff). */
export async function retriesDueNow(db: Db): Promise<void> {
  await db('webhook_deliveries').whereIn('state', ['pending', 'failed']).update({ next_attempt_at: db.raw('now()') });
}

/** The deliveries as the database has them, oldest first. */
export async function deliveries(db: Db): Promise<{ id: number; endpoint_id: number; event: string; state: string; attempts: number; next_attempt_at: Date | null; last_attempt_at: Date | null; last_status: number | null; last_error: string | null }[]> {
  return db('webhook_deliveries').orderBy('id').select('*');
}

/** A fresh desk whose server-side fetches may reach 127.0.0.1 (the receivers), with an editor, a reviewer and a signed-in admin. */
export async function openWebhookDesk(): Promise<{ ctx: TestContext; people: Record<'editor' | 'reviewer' | 'admin', User>; admin: Client }> {
  const ctx = await createTestApp({ FETCH_ALLOW_HOSTS: '127.0.0.1' });
  const people = await makeDesk(ctx.db, ['editor', 'reviewer', 'admin']);
  return { ctx, people, admin: await Client.signedIn(ctx.app, people.admin) };
}

/** After each test: its receiver stopped and every endpoint gone (their deliveries with them), so tests do not see each other's. */
export async function clearWebhooks(ctx: TestContext, receiver: Receiver | undefined): Promise<void> {
  await receiver?.close();
  await ctx.db('webhook_endpoints').delete();
}
