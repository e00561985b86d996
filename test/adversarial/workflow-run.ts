import assert from 'node:assert/strict';
import type { Response as Res } from 'supertest';
import type { User } from '../../server/accounts/users.repo.ts';
import type { TestContext } from '../support/app.ts';
import { Client } from '../support/client.ts';
import { makeSource } from '../support/factories.ts';
import { type Act, type Action, ACTS, BODY, CAST, DECISIONS, EDITABLE, EVIDENCE_OPEN, isReviewerRole, mayTake, MISSING_QUOTES, QUOTES, type Role, type Status, TABLE, UNIQUE_QUOTES, type VersionMode } from './workflow-model.ts';
import { assertAppendOnly, assertHistoryInvariants, snapshot } from './workflow-checks.ts';

/** The runner of the workflow property test: one sequence of desk actions over HTTP, checked after each step. */

// -------------------------------------------------------------- the runner

export interface Cast { users: User[]; clients: Client[] }
export const isOk = (status: number): boolean => (status >= 200 && status < 300) || status === 303;
export const MISSING_CLAIM = 2_000_000_000;

/** What a refusal said (the JSON error, or the page's title and error summary), for failure messages. */
export function explain(res: Res): string {
  const body = res.body as { error?: unknown } | undefined;
  if (body && typeof body === 'object' && body.error) return ` ${JSON.stringify(body.error)}`;
  const text = typeof res.text === 'string' ? res.text : '';
  const title = /<title>([^<]*)<\/title>/.exec(text)?.[1];
  const summary = /<ul class="error-summary__list">([\s\S]*?)<\/ul>/.exec(text)?.[1]?.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
  return title ? ` (${title.trim()}${summary ? `: ${summary}` : ''})` : '';
}

let runNumber = 0;

export interface RunStats { runs: number; actions: number; failures: number; accepted: Map<string, number> }

/** One sequence on a fresh report: performs each action over HTTP and checks the app after it. */
export async function runSequence(ctx: TestContext, cast: Cast, actions: readonly Action[], options: { stats?: RunStats; jsonNulls?: boolean } = {}): Promise<void> {
  const stats = options.stats;
  const db = ctx.db;
  const tag = `${process.pid}-${(runNumber += 1)}`;
  const reportRes = await cast.clients[0]!.post('/reports', { title: `Property run ${tag}`, outlet: 'The Test Gazette', body: BODY });
  assert.equal(reportRes.status, 303, `importing the run's report: ${reportRes.status}`);
  const reportId = Number(/\/reports\/(\d+)$/.exec(reportRes.headers.location ?? '')?.[1]);
  assert.ok(reportId > 0, 'the report import redirects to the report');
  const library = [
    await makeSource(db, cast.users[0]!, { publisher: `Library A ${tag}` }),
    await makeSource(db, cast.users[0]!, { publisher: `Library B ${tag}` }),
  ];
  const libraryUrls = (await db('sources').whereIn('id', library).orderBy('id').select('url')) as { url: string }[];
  const claims: number[] = [];
  let counter = 0;
  let snap = await snapshot(db);

  for (const [i, action] of actions.entries()) {
    const claimId = 'claim' in action ? (action.claim < 0 || claims.length === 0 ? MISSING_CLAIM : claims[action.claim % claims.length]!) : null;
    const claim = claimId === null ? undefined : snap.claims.get(claimId);
    let userIx = action.user;
    let act: Act | null = null;
    if (action.kind === 'transition') {
      const fromHere = claim ? ACTS.filter((a) => TABLE[a].from.includes(claim.status)) : [];
      const forward = fromHere.filter((a) => a !== 'withdraw');
      const pool = forward.length > 0 ? forward : fromHere;
      act = action.act === 'next' ? pool[action.pick % Math.max(1, pool.length)] ?? 'submit' : action.act;
      const fit = (ix: number) => mayTake(cast.users[ix]!, TABLE[act!].who, claim);
      if (action.by === 'fit') userIx = [0, 1, 2, 3, 4].map((k) => (action.user + k) % CAST.length).find(fit) ?? action.user;
    }
    const actor = cast.users[userIx]!;
    const client = cast.clients[userIx]!;
    const role = actor.role as Role;
    const where = `step ${i + 1} ${JSON.stringify(action)} (${CAST[userIx]!.name}${act ? `, ${act}` : ''}${claimId ? `, claim ${claimId} ${claim?.status ?? 'missing'} v${claim?.version ?? '-'}` : ''})`;
    const versionFor = (mode: VersionMode): string | number =>
      mode === 'garbage' ? 'v2' : !claim ? 1 : mode === 'current' ? claim.version : claim.version > 1 ? claim.version - 1 : claim.version + 1;
    const versionOk = (mode: VersionMode): boolean => mode === 'current' && claim !== undefined;
    const evidence = { supports: 0, contradicts: 0, total: 0 };
    for (const l of snap.links) {
      if (l.claim_id !== claimId) continue;
      evidence.total += 1;
      if (l.relation === 'supports') evidence.supports += 1;
      if (l.relation === 'contradicts') evidence.contradicts += 1;
    }
    // Forms leave out empty fields; JSON clients leave out nulls too, unless told to send them (options.jsonNulls).
    const send = (path: string, form: Record<string, string | number | null>, json: boolean): Promise<Res> =>
      json ? client.postJson(path, options.jsonNulls ? form : Object.fromEntries(Object.entries(form).filter(([, v]) => v !== null))) : client.post(path, form);
    counter += 1;

    let res: Res;
    /** Whether DESIGN.md says this request must succeed (true), must be refused (false), or leaves it open (null). */
    let allowed: boolean | null;
    let transition: { act: Act; to: Status } | null = null;
    let expectedNext: number | null = null;

    switch (action.kind) {
      case 'log': {
        const quote = QUOTES[action.quote]!;
        res = await send(`/reports/${reportId}/claims`, { quote, statement: `Statement ${counter} of run ${tag}`, claimant: 'The minister', kind: 'factual', tags: 'bridge', priority: action.priority ?? 1 }, action.json);
        allowed = UNIQUE_QUOTES.has(quote) ? true : MISSING_QUOTES.has(quote) ? false : null;
        if (isOk(res.status)) {
          const id = Number(action.json ? (res.body as { id: number }).id : /\/claims\/(\d+)$/.exec(res.headers.location ?? '')?.[1]);
          assert.ok(id > 0, `${where}: a logged claim's id`);
          claims.push(id);
        }
        break;
      }
      case 'edit': {
        const quote = action.quote === 'same' ? claim?.quote ?? QUOTES[0]! : QUOTES[action.quote]!;
        const sameQuote = action.quote === 'same' && claim !== undefined;
        const statement = action.statement === 'blank' ? '   ' : action.statement === 'same' ? claim?.statement ?? 'Same' : `Statement ${counter} of run ${tag}, reworded`;
        res = await send(
          `/claims/${claimId}`,
          {
            statement,
            quote,
            quotePrefix: '',
            quoteSuffix: '',
            quoteStart: sameQuote ? claim.quote_start : null,
            quoteEnd: sameQuote ? claim.quote_end : null,
            claimant: claim?.claimant ?? 'The minister',
            kind: claim?.kind ?? 'factual',
            tags: 'bridge',
            priority: claim?.priority ?? 1,
            confidence: claim?.confidence ?? '',
            version: versionFor(action.version),
          },
          action.json,
        );
        const quoteFine = sameQuote || UNIQUE_QUOTES.has(quote) ? true : MISSING_QUOTES.has(quote) ? false : null;
        const rest = claim !== undefined && versionOk(action.version) && EDITABLE.includes(claim.status) && action.statement !== 'blank';
        allowed = !rest || quoteFine === false ? false : quoteFine;
        break;
      }
      case 'link': {
        const libraryId = library[action.library]!;
        const form: Record<string, string | number | null> = { relation: action.relation, credibility: 2, excerpt: `Excerpt ${counter}` };
        if (action.source === 'library') form.sourceId = libraryId;
        else {
          form.newTitle = `Source ${counter} of run ${tag}`;
          form.newPublisher = `Publisher ${counter}`;
          form.newReliability = 'B';
          form.newUrl = action.source === 'new' ? `https://evidence.example/${tag}/${counter}` : libraryUrls[action.library]!.url;
        }
        res = await send(`/claims/${claimId}/evidence`, form, action.json);
        const alreadyLinked = snap.links.some((l) => l.claim_id === claimId && l.source_id === libraryId);
        allowed =
          claim !== undefined &&
          EVIDENCE_OPEN.includes(claim.status) &&
          action.source !== 'duplicate_url' &&
          !(action.source === 'library' && alreadyLinked);
        break;
      }
      case 'transition': {
        const t = TABLE[act!];
        const comment = action.comment === 'text' ? `Because of step ${counter}.` : action.comment === 'blank' ? '  ' : null;
        const confidence = action.confidence === 'none' ? null : action.confidence === 'bogus' ? 'certain' : action.confidence;
        res = await send(`/claims/${claimId}/${t.path}`, { version: versionFor(action.version), comment, confidence }, action.json);
        transition = { act: act!, to: t.to };
        const hasComment = action.comment === 'text';
        const who = mayTake(actor, t.who, claim);
        let guard = true;
        if (act === 'submit' || act === 'resubmit') guard = evidence.total > 0;
        // A verification without a confidence keeps the claim's own (set by an edit or an earlier decision).
        if (act === 'verify') guard = evidence.supports > 0 && (confidence ?? claim?.confidence ?? null) !== null && (evidence.contradicts === 0 || hasComment);
        if (act === 'refute') guard = evidence.contradicts > 0;
        allowed =
          claim !== undefined &&
          who &&
          versionOk(action.version) &&
          action.confidence !== 'bogus' &&
          t.from.includes(claim.status) &&
          (!t.comment || hasComment) &&
          guard;
        break;
      }
      case 'take_next': {
        if (isReviewerRole(role)) {
          const { rows } = await db.raw<{ rows: { id: number }[] }>(
            `SELECT id FROM claims WHERE status = 'in_review' AND assignee_id IS NULL AND NOT (? = ANY (authors))
              ORDER BY priority DESC, submitted_at ASC, id ASC LIMIT 1`,
            [actor.id],
          );
          expectedNext = rows[0]?.id ?? null;
        }
        res = action.json ? await client.postJson('/review/take-next', {}) : await client.post('/review/take-next');
        allowed = isReviewerRole(role) && (expectedNext !== null || !action.json);
        break;
      }
      case 'assign': {
        const assigneeIx = typeof action.assignee === 'number' ? action.assignee : null;
        const assigneeId = action.assignee === 'me' ? actor.id : action.assignee === 'none' ? null : cast.users[assigneeIx!]!.id;
        const current = claim?.assignee_id ?? null;
        const expected = action.expected === 'current' ? current : current === null ? cast.users[2]!.id : null;
        res = await client.post(`/claims/${claimId}/assign`, { assignee: typeof action.assignee === 'number' ? assigneeId : action.assignee, expected: expected ?? '' });
        const assignee = assigneeId === null ? null : cast.users.find((u) => u.id === assigneeId)!;
        allowed =
          isReviewerRole(role) &&
          claim !== undefined &&
          claim.status === 'in_review' &&
          expected === current &&
          (assignee === null || (isReviewerRole(assignee.role as Role) && !claim.authors.includes(assignee.id)));
        break;
      }
      case 'comment': {
        res = await client.post(`/claims/${claimId}/comments`, { body: action.body === 'text' ? `Comment ${counter} of run ${tag}` : ' \n ' });
        allowed = claim !== undefined && action.body === 'text';
        break;
      }
    }

    if (stats) stats.actions += 1;
    const after = await snapshot(db, snap);
    const outcome: string = `${where}: got ${res.status}${res.headers.location ? ` -> ${res.headers.location}` : ''}${explain(res)}`;

    // (a) never a server error; and a session never silently lost.
    assert.ok(res.status < 500, `${outcome}: a server error`);
    assert.notEqual(res.headers.location, '/login', `${outcome}: the session was lost`);
    // (d), (e): versions never go down; history and comments never lose or change a row.
    await assertAppendOnly(db, snap, after, where);

    const ok = isOk(res.status);
    if (stats && ok) {
      const key = transition ? transition.act : action.kind;
      stats.accepted.set(key, (stats.accepted.get(key) ?? 0) + 1);
    }
    if (allowed === true) assert.ok(ok, `${outcome}: DESIGN.md allows this, the app refused it`);
    if (allowed === false) assert.ok(!ok, `${outcome}: DESIGN.md forbids this, the app accepted it`);

    // (f) a successful transition is exactly one new transition event, and nothing else moves a status.
    const fresh = after.events.fresh;
    const freshTransitions = fresh.filter((e) => e.type === 'transition');
    if (transition && ok) {
      assert.equal(freshTransitions.length, 1, `${outcome}: expected exactly one new transition event, found ${freshTransitions.length}`);
      const e = freshTransitions[0]!;
      assert.deepEqual(
        { claim: e.claim_id, action: e.action, from: e.from_status, to: e.to_status, actor: e.actor_id },
        { claim: claimId, action: transition.act, from: claim!.status, to: transition.to, actor: actor.id },
        `${outcome}: the transition event`,
      );
      const now = after.claims.get(claimId!)!;
      assert.equal(now.status, transition.to, `${outcome}: the claim's status`);
      assert.equal(now.version, claim!.version + 1, `${outcome}: a transition bumps the version by one`);
      if (DECISIONS.includes(transition.act) && transition.act !== 'request_changes') assert.equal(now.decided_by, actor.id, `${outcome}: decided_by`);
    } else {
      assert.deepEqual(freshTransitions, [], `${outcome}: transition events appeared without a successful transition`);
    }
    for (const [id, before] of snap.claims) {
      if (transition && ok && id === claimId) continue;
      assert.equal(after.claims.get(id)!.status, before.status, `${outcome}: claim ${id}'s status changed without a transition`);
    }

    // What each kind of action must and must not have done.
    if (!ok && claim) {
      const now = after.claims.get(claimId!)!;
      const { assignee_id: _a, ...was } = claim;
      const { assignee_id: _b, ...is } = now;
      assert.deepEqual(is, was, `${outcome}: a refused request changed the claim`);
      if (action.kind !== 'take_next') assert.equal(now.assignee_id, claim.assignee_id, `${outcome}: a refused request changed the assignee`);
    }
    if (!ok) {
      assert.equal(after.links.length, snap.links.length, `${outcome}: a refused request changed the evidence`);
      assert.equal(after.sources, snap.sources, `${outcome}: a refused request added a source`);
      assert.deepEqual(after.comments.fresh, [], `${outcome}: a refused request added a comment`);
      assert.deepEqual(fresh, [], `${outcome}: a refused request wrote history`);
    }
    if (action.kind === 'edit' && ok && claim) {
      const now = after.claims.get(claimId!)!;
      const authoring = now.statement !== claim.statement || now.quote !== claim.quote;
      if (authoring) assert.ok(now.authors.includes(actor.id), `${outcome}: editing the statement or quote makes the editor an author`);
      else assert.deepEqual(now.authors, claim.authors, `${outcome}: an edit that did not touch statement or quote changed the authors`);
    }
    if (action.kind === 'link' && ok) {
      const added = after.links.filter((l) => !snap.links.some((b) => b.id === l.id));
      assert.equal(added.length, 1, `${outcome}: one new evidence link`);
      assert.equal(added[0]!.claim_id, claimId, `${outcome}: linked to the claim`);
      assert.equal(added[0]!.relation, action.relation, `${outcome}: with its relation`);
      assert.ok(after.claims.get(claimId!)!.version > claim!.version, `${outcome}: new evidence bumps the claim's version`);
    }
    if (action.kind === 'comment' && ok) {
      const added = after.comments.fresh;
      assert.equal(added.length, 1, `${outcome}: one new comment`);
      assert.deepEqual([added[0]!.claim_id, added[0]!.author_id], [claimId, actor.id], `${outcome}: the comment's claim and author`);
    }
    if (action.kind === 'take_next' && isReviewerRole(role)) {
      const taken: number | null = action.json ? ((res.body as { id?: number }).id ?? null) : Number(/^\/claims\/(\d+)$/.exec(res.headers.location ?? '')?.[1] ?? NaN) || null;
      assert.equal(taken, expectedNext, `${outcome}: take next gives the first unassigned claim in review that the reviewer did not write`);
      if (taken !== null) assert.equal(after.claims.get(taken)!.assignee_id, actor.id, `${outcome}: the taken claim is assigned to the reviewer`);
    }
    if (action.kind === 'assign' && ok && claim) {
      const want = action.assignee === 'me' ? actor.id : action.assignee === 'none' ? null : cast.users[action.assignee]!.id;
      assert.equal(after.claims.get(claimId!)!.assignee_id, want, `${outcome}: the assignee`);
    }
    snap = after;
  }
  // (b), (c) over the whole database once the sequence is done.
  await assertHistoryInvariants(db, reportId);
}
