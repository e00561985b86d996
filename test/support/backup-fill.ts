import assert from 'node:assert/strict';
import type { Express } from 'express';
import type { User } from '../../server/accounts/users.repo.ts';
import type { Db } from '../../server/platform/database.ts';
import { STATUSES, type Status } from '../../server/claims/statuses.ts';
import { dispatchDue } from '../../server/webhooks/dispatcher.ts';
import { Client } from './client.ts';
import { TEST_PASSWORD, makeClaimIn, makeReport, makeSource, makeUser } from './factories.ts';

/** What fillEveryKind made, for the checks that follow a restore. */
export interface Filled {
  admin: User;
  editor: User;
  reviewer: User;
  reportId: number;
  claims: Record<Status, number>;
  /** The session cookie of a sign-in made through the app. */
  editorCookie: string[];
}

/** Text that COPY has to escape (a backslash, a newline) and that is not ASCII. */
export const AWKWARD_TEXT = 'First line with a backslash \\ and "quotes"\nsecond line: café, “curly”, ✓, 🧪';

/**
 * Every kind of row the desk keeps, made the way the desk makes it: accounts
 * (one disabled, one invited with a set-password link), sign-ins (sessions)
 * and a failed one (login_limits), a report and its correction (revisions),
 * a claim in every state with its sources, evidence and events, a comment,
 * a webhook endpoint with deliveries and their attempts, and a downloaded
 * export (export_log).
 */
export async function fillEveryKind(app: Express, db: Db): Promise<Filled> {
  const admin = await makeUser(db, { role: 'admin', displayName: 'Ada Admin' });
  const editor = await makeUser(db, { role: 'editor', displayName: 'Eli Editor' });
  const reviewer = await makeUser(db, { role: 'reviewer', displayName: 'Rui Reviewer' });
  await makeUser(db, { role: 'editor', displayName: 'Dora Disabled', disabled: true });

  const adminClient = await Client.signedIn(app, admin);
  const invited = await adminClient.post('/admin/users', { displayName: 'Ines Invited', email: `ines.${process.pid}@desk.test`, role: 'reviewer' });
  assert.equal(invited.status, 303, 'the admin invites a colleague');
  // A webhook endpoint, registered before the claims move so that their transitions make deliveries
  // (an address on the public internet, never contacted: the dispatch pass below answers for it).
  const hook = await adminClient.post('/admin/webhooks', { url: 'https://93.184.215.14/factdesk-hooks', events: ['claim.submitted', 'claim.decided', 'claim.reopened', 'claim.withdrawn'], secret: '' });
  assert.equal(hook.status, 303, 'the admin registers a webhook endpoint');
  const wrong = await new Client(app).post('/login', { email: editor.email, password: 'not the password at all' });
  assert.equal(wrong.status, 401, 'a mistyped password is refused (and counted)');

  const editorSignIn = await new Client(app).post('/login', { email: editor.email, password: TEST_PASSWORD });
  assert.equal(editorSignIn.status, 303);
  const editorCookie = ([] as string[]).concat(editorSignIn.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]!);
  const editorClient = await Client.signedIn(app, editor);
  const reviewerClient = await Client.signedIn(app, reviewer);

  const reportId = await makeReport(db, editor, { title: 'The bridge, checked' });
  const corrected = await editorClient.post(`/reports/${reportId}`, {
    title: 'The bridge, checked',
    outlet: 'The Daily Test',
    url: 'https://news.example/story',
    publishedOn: '2025-11-20',
    body: 'The minister said the bridge opened in 2019. Critics said it opened in 2021.\n\nA second paragraph follows, corrected.',
    version: 1,
    baseRevision: 1,
    note: 'The second paragraph was corrected.',
  });
  assert.equal(corrected.status, 303, 'the editor corrects the report');

  const claims = {} as Record<Status, number>;
  for (const status of STATUSES) claims[status] = await makeClaimIn(db, status, { author: editor, reviewer, reportId });
  await makeSource(db, editor, { title: AWKWARD_TEXT.split('\n')[0]!, publisher: 'Fundação Ñandú' });

  // One pass of the dispatcher: the first receiver answer is an error (its text goes into the log), the rest succeed.
  let answers = 0;
  const sent = await dispatchDue({ db, baseUrl: 'http://factdesk.test', rules: { allowHosts: [] }, send: async () => (answers++ === 0 ? { status: 500, body: Buffer.from(AWKWARD_TEXT) } : { status: 204, body: Buffer.alloc(0) }) });
  assert.ok(sent.claimed > 1 && sent.failed === 1, 'the deliveries go out, one of them refused');

  const commented = await reviewerClient.post(`/claims/${claims.in_review}/comments`, { body: AWKWARD_TEXT });
  assert.equal(commented.status, 303, 'the reviewer comments');

  // Provenance: a source that republishes another, and two supporting excerpts that read alike (a pair to judge).
  const wire = await makeSource(db, editor, { title: 'Wire story' });
  const rerun = await makeSource(db, editor, { title: 'Rerun of the wire story' });
  const other = await makeSource(db, editor, { title: 'Another outlet' });
  assert.equal((await editorClient.post(`/sources/${rerun}/citations`, { cited: `#${wire}`, kind: 'republishes' })).status, 303, 'the editor names the source a source repeats');
  const excerpt = `${AWKWARD_TEXT.split('\n')[0]!} — the same wire copy, word for word, in two places.`;
  for (const sourceId of [rerun, other]) {
    assert.equal((await editorClient.post(`/claims/${claims.draft}/evidence`, { sourceId, relation: 'supports', credibility: 2, excerpt })).status, 303);
  }
  // A saved view for the desk, and a bulk action previewed and applied.
  assert.equal((await editorClient.post('/views', { name: 'Drafts “to do”', list: 'claims', query: 'status=draft', shared: 'yes' })).status, 303);
  const version = ((await db('claims').where({ id: claims.draft }).first('version')) as { version: number }).version;
  const bulk = await editorClient.post('/claims/bulk', { back: '/claims', bulkAction: 'add_tag', bulkTag: 'backed-up', ids: [`${claims.draft}:${version}`] });
  assert.equal(bulk.status, 303, 'the editor previews a bulk action');
  assert.equal((await editorClient.post(`${bulk.headers.location}/apply`)).status, 303, 'and applies it');

  // The report page scores the text's sentences and keeps the suggestions; the reviewer turns them off.
  assert.equal((await editorClient.get(`/reports/${reportId}`)).status, 200);
  assert.equal((await reviewerClient.post('/account/preferences', {})).status, 303, 'the reviewer turns suggestions off');
  // An API token, and one revoked.
  assert.equal((await editorClient.post('/account/tokens', { name: 'CMS “publishing”', scope: 'write', lifetime: '90' })).status, 303, 'the editor makes an API token');
  assert.equal((await editorClient.post('/account/tokens', { name: 'Old script', scope: 'read', lifetime: '7' })).status, 303);
  const oldToken = (await db('api_tokens').where({ name: 'Old script' }).first('id')) as { id: number };
  assert.equal((await editorClient.post(`/account/tokens/${oldToken.id}/revoke`)).status, 303, 'and revokes one');

  const sheet = await editorClient.get(`/reports/${reportId}/sheet.csv`);
  assert.equal(sheet.status, 200, 'the editor downloads the claim sheet');
  // The export is logged a moment after the response is over.
  for (let i = 0; i < 100 && Number((await db('export_log').count<{ n: number }[]>('* as n'))[0]!.n) === 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { admin, editor, reviewer, reportId, claims, editorCookie };
}
