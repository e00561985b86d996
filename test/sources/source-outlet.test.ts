import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { User } from '../../server/accounts/users.repo.ts';
import { appWithEditor, type TestContext } from '../support/app.ts';
import { Client } from '../support/client.ts';
import { makeClaim, makeEvidence, makeReport, makeSource } from '../support/factories.ts';

/** Outlets through the app: the source form names one or derives it, and the confidence suggestion counts outlets, not publishers. */
describe('source outlets', () => {
  let ctx: TestContext;
  let editor: User;
  let client: Client;
  before(async () => {
    ({ ctx, editor, client } = await appWithEditor());
  });
  after(() => ctx.close());

  test('a source shows its outlet: derived from the address, or as an editor named it; an over-long name is refused', async () => {
    const created = await client.post('/sources', { kind: 'web_page', title: 'BBC on the plan', url: 'https://news.bbc.co.uk/plan', publisher: 'BBC News', reliability: 'B' });
    assert.equal(created.status, 303);
    const page = await client.get(created.headers.location!);
    assert.match(page.text, /Outlet: <span class="user-text" id="source-outlet">bbc\.co\.uk<\/span> <span class="small">\(from the address\)/);
    const named = await client.post('/sources', { kind: 'web_page', title: 'AP mirror', url: 'https://ap-mirror.example/x', publisher: 'AP', outlet: 'Associated Press', reliability: 'A' });
    assert.match((await client.get(named.headers.location!)).text, /Outlet: <span class="user-text" id="source-outlet">Associated Press<\/span> <span class="small">\(named by an editor\)/);
    const tooLong = await client.post('/sources', { kind: 'web_page', title: 'Too long', url: 'https://long.example/', outlet: 'x'.repeat(201), reliability: 'A' });
    assert.equal(tooLong.status, 400);
    assert.match(tooLong.text, /outlet/i);
  });

  test('two supporting pages of one site are one outlet on the claim page: moderate, and the reason says why', async () => {
    const claimId = await makeClaim(ctx.db, editor, await makeReport(ctx.db, editor));
    for (const [url, publisher] of [['https://www.reuters.com/a', 'Reuters'], ['https://reuters.com/b', 'Thomson Reuters']]) {
      await makeEvidence(ctx.db, editor, claimId, { sourceId: await makeSource(ctx.db, editor, { url, publisher, reliability: 'A' }), relation: 'supports', credibility: 2 });
    }
    const page = await client.get(`/claims/${claimId}`);
    assert.match(page.text, /Suggested: moderate/);
    const json = await client.getJson(`/claims/${claimId}`);
    assert.equal(json.body.suggestion.level, 'moderate');
    assert.match(json.body.suggestion.reasons.join(' '), /2 supporting sources, 1 independent origin: both come from reuters.com/);
  });
});
