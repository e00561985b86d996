import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import jsonld from 'jsonld';
import { createTestApp, type TestContext } from '../support/app.ts';
import { exportsSettled } from './support.ts';
import { Client } from '../support/client.ts';
import { makeClaimIn, makeDesk, makeReport } from '../support/factories.ts';
import { missingShared, readShared } from '../support/shared.ts';

const S = 'http://schema.org/';

/**
 * The terms a ClaimReview uses, defined as https://schema.org/docs/jsonldcontext.jsonld
 * defines them: @vocab and the schema: prefix are http://schema.org/, every
 * term maps to schema:<term>, terms whose values are URLs are typed @id and
 * date terms are typed Date. The processor gets this excerpt instead of the
 * real context, which it would fetch from the network.
 */
const SCHEMA_ORG_CONTEXT = {
  '@context': {
    type: '@type',
    id: '@id',
    '@vocab': S,
    schema: S,
    ClaimReview: { '@id': 'schema:ClaimReview' },
    Claim: { '@id': 'schema:Claim' },
    CreativeWork: { '@id': 'schema:CreativeWork' },
    Date: { '@id': 'schema:Date' },
    ImageObject: { '@id': 'schema:ImageObject' },
    Organization: { '@id': 'schema:Organization' },
    Person: { '@id': 'schema:Person' },
    Rating: { '@id': 'schema:Rating' },
    alternateName: { '@id': 'schema:alternateName' },
    appearance: { '@id': 'schema:appearance' },
    author: { '@id': 'schema:author' },
    bestRating: { '@id': 'schema:bestRating' },
    claimReviewed: { '@id': 'schema:claimReviewed' },
    datePublished: { '@id': 'schema:datePublished', '@type': 'Date' },
    expires: { '@id': 'schema:expires', '@type': 'Date' },
    headline: { '@id': 'schema:headline' },
    itemReviewed: { '@id': 'schema:itemReviewed' },
    logo: { '@id': 'schema:logo', '@type': '@id' },
    name: { '@id': 'schema:name' },
    ratingValue: { '@id': 'schema:ratingValue' },
    reviewRating: { '@id': 'schema:reviewRating' },
    sameAs: { '@id': 'schema:sameAs', '@type': '@id' },
    url: { '@id': 'schema:url', '@type': '@id' },
    worstRating: { '@id': 'schema:worstRating' },
  },
};
const KNOWN_TERMS = new Set(Object.keys(SCHEMA_ORG_CONTEXT['@context']).filter((t) => /^[a-z]/.test(t) && t !== 'type' && t !== 'id' && t !== 'schema'));

const documentLoader = async (url: string) => {
  if (!/^https?:\/\/schema\.org\/?$/.test(url)) throw new Error(`unexpected context ${url}`);
  return { contextUrl: undefined, documentUrl: url, document: SCHEMA_ORG_CONTEXT };
};

type Node = Record<string, unknown>;
const values = (node: Node, term: string) => (node[`${S}${term}`] ?? []) as Node[];
const one = (node: Node, term: string): Node => {
  const v = values(node, term);
  assert.equal(v.length, 1, `one ${term}`);
  return v[0]!;
};

/** Every property of a compact node (and of the nodes inside it) is a schema.org term and comes out of expansion as its schema.org IRI. */
function assertExpandsEveryProperty(compact: Node, expanded: Node, where: string): void {
  for (const [key, value] of Object.entries(compact)) {
    if (key.startsWith('@')) continue;
    assert.ok(KNOWN_TERMS.has(key), `${where}.${key} is not a schema.org term a ClaimReview uses`);
    const out = values(expanded, key);
    assert.ok(out.length > 0, `${where}.${key} did not expand to ${S}${key}`);
    const inner = Array.isArray(value) ? value : [value];
    inner.forEach((v, i) => {
      if (typeof v === 'object' && v !== null) assertExpandsEveryProperty(v as Node, out[i]!, `${where}.${key}`);
    });
  }
}

describe('ClaimReview JSON-LD', () => {
  let ctx: TestContext;
  let client: Client;
  let reportId: number;
  const ids: Record<'verified' | 'refuted' | 'unverifiable', number> = { verified: 0, refuted: 0, unverifiable: 0 };
  before(async () => {
    ctx = await createTestApp({ ORG_NAME: 'Test Desk', ORG_URL: 'https://desk.example/' });
    const { editor, reviewer } = await makeDesk(ctx.db, ['editor', 'reviewer']);
    client = await Client.signedIn(ctx.app, editor);
    reportId = await makeReport(ctx.db, editor, { title: 'Bridge report', url: 'https://news.example/bridge' });
    for (const status of ['verified', 'refuted', 'unverifiable'] as const) ids[status] = await makeClaimIn(ctx.db, status, { author: editor, reviewer, reportId });
    await makeClaimIn(ctx.db, 'in_review', { author: editor, reportId });
  });
  after(async () => {
    await exportsSettled(ctx.db);
    await ctx.close();
  });

  const download = async () => {
    const res = await client.get(`/reports/${reportId}/sheet.jsonld?scope=decided`);
    assert.equal(res.status, 200);
    return JSON.parse(res.text) as { '@graph': Node[] };
  };

  test('each decided claim expands, with the schema.org context, to a ClaimReview whose every property is a schema.org IRI', async () => {
    const doc = await download();
    const expanded = (await jsonld.expand(doc as jsonld.JsonLdDocument, { documentLoader })) as Node[];
    assert.equal(expanded.length, 3, 'verified, refuted and unverifiable; not the claim in review');
    for (const [i, review] of expanded.entries()) {
      assert.deepEqual(review['@type'], [`${S}ClaimReview`]);
      assertExpandsEveryProperty(doc['@graph'][i]!, review, 'ClaimReview');
    }
  });

  test('the review links to the claim, the report and the desk as IRIs, with typed dates', async () => {
    const expanded = (await jsonld.expand((await download()) as jsonld.JsonLdDocument, { documentLoader })) as Node[];
    for (const review of expanded) {
      const url = String(one(review, 'url')['@id']);
      const id = Number(url.split('/').pop());
      const claim = await ctx.db('claims').where({ id }).first();
      assert.equal(url, `http://factdesk.test/claims/${id}`);
      assert.deepEqual(one(review, 'claimReviewed'), { '@value': claim.statement });
      assert.deepEqual(one(review, 'datePublished'), { '@type': `${S}Date`, '@value': claim.decided_at.toISOString().slice(0, 10) });
      const author = one(review, 'author');
      assert.deepEqual(author['@type'], [`${S}Organization`]);
      assert.deepEqual(one(author, 'name'), { '@value': 'Test Desk' });
      assert.deepEqual(one(author, 'url'), { '@id': 'https://desk.example/' });
      const item = one(review, 'itemReviewed');
      assert.deepEqual(item['@type'], [`${S}Claim`]);
      assert.deepEqual(one(one(item, 'author'), 'name'), { '@value': 'The minister' });
      assert.deepEqual(one(item, 'datePublished'), { '@type': `${S}Date`, '@value': '2025-11-20' });
      const appearance = one(item, 'appearance');
      assert.deepEqual(appearance['@type'], [`${S}CreativeWork`]);
      assert.deepEqual(one(appearance, 'url'), { '@id': 'https://news.example/bridge' });
      assert.deepEqual(one(appearance, 'headline'), { '@value': 'Bridge report' });
    }
  });

  test('verified and refuted claims are rated on the 1-5 scale; an unverifiable claim is rated in words only', async () => {
    const expanded = (await jsonld.expand((await download()) as jsonld.JsonLdDocument, { documentLoader })) as Node[];
    const byId = new Map(expanded.map((r) => [Number(String(one(r, 'url')['@id']).split('/').pop()), one(r, 'reviewRating')]));
    const scale = (rating: Node) => ['ratingValue', 'bestRating', 'worstRating'].map((t) => values(rating, t)[0]?.['@value'] ?? null);
    assert.deepEqual(scale(byId.get(ids.verified)!), ['5', '5', '1']);
    assert.deepEqual(scale(byId.get(ids.refuted)!), ['1', '5', '1']);
    assert.deepEqual(scale(byId.get(ids.unverifiable)!), [null, null, null]);
    // The desk's default labels: True, False and Unverifiable for a decision taken without choosing one.
    assert.deepEqual(one(byId.get(ids.verified)!, 'alternateName'), { '@value': 'True' });
    assert.deepEqual(one(byId.get(ids.refuted)!, 'alternateName'), { '@value': 'False' });
    assert.deepEqual(one(byId.get(ids.unverifiable)!, 'alternateName'), { '@value': 'Unverifiable' });
    for (const rating of byId.values()) assert.deepEqual(rating['@type'], [`${S}Rating`]);
  });

  test('as plain JSON, appearance is a list, as where the real ClaimReviews name several, of CreativeWorks with their url', async () => {
    for (const review of (await download())['@graph']) {
      const appearance = (review.itemReviewed as Node).appearance as Node[];
      assert.ok(Array.isArray(appearance), 'a list, not a single object');
      assert.deepEqual(appearance, [{ '@type': 'CreativeWork', url: 'https://news.example/bridge', headline: 'Bridge report' }]);
    }
    const several = readShared('fixtures/claimreview/multi-appearance-url-en.json');
    if (several) assert.ok(Array.isArray(JSON.parse(several).itemReviewed.appearance), 'the real example lists its appearances');
  });

  for (const fixture of ['simple-en.json', 'multi-appearance-url-en.json', 'multi-claimreview-en.json']) {
    const file = `fixtures/claimreview/${fixture}`;
    test(`a real ClaimReview (${fixture}) expands with the same context, and ours uses its properties in the same places`, { skip: missingShared(file) }, async () => {
      const theirs = (await jsonld.expand(JSON.parse(readShared(file)!) as jsonld.JsonLdDocument, { documentLoader })) as Node[];
      const ours = (await jsonld.expand((await download()) as jsonld.JsonLdDocument, { documentLoader })) as Node[];
      const keys = (n: Node) => Object.keys(n).filter((k) => k !== '@type').sort();
      const example = theirs[0]!;
      const verified = ours.find((r) => String(one(r, 'url')['@id']).endsWith(`/${ids.verified}`))!;
      assert.deepEqual(example['@type'], verified['@type']);
      const realKeys = new Set(['simple-en.json', 'multi-appearance-url-en.json', 'multi-claimreview-en.json'].flatMap((f) => Object.keys(JSON.parse(readShared(`fixtures/claimreview/${f}`)!) as object)));
      for (const key of keys(verified)) assert.ok(key in example || realKeys.has(key.replace(S, '')), `${key} is in the real ClaimReviews too`);
      assert.deepEqual(keys(one(verified, 'reviewRating')), keys(one(example, 'reviewRating')), 'the rating has the same parts');
      assert.deepEqual(keys(one(verified, 'itemReviewed')).filter((k) => k in one(example, 'itemReviewed')), keys(one(verified, 'itemReviewed')));
      for (const appearance of values(one(example, 'itemReviewed'), 'appearance')) assert.match(String(appearance['@value'] ?? one(appearance, 'url')['@id']), /^https:\/\//);
    });
  }
});

describe('ClaimReview as the newsroom publishes it', () => {
  let ctx: TestContext;
  let client: Client;
  let ids: number[];
  before(async () => {
    ctx = await createTestApp({
      ORG_NAME: 'Harbour Post Fact Check',
      ORG_URL: 'https://harbour.example/',
      ORG_SAME_AS: 'https://social.example/@harbourcheck, https://video.example/harbourcheck',
      ORG_LOGO: 'https://harbour.example/logo.png',
      PUBLIC_REVIEW_URL: 'https://harbour.example/fact-checks/{id}',
    });
    const { editor, reviewer } = await makeDesk(ctx.db, ['editor', 'reviewer']);
    client = await Client.signedIn(ctx.app, editor);
    const reportId = await makeReport(ctx.db, editor, { title: 'Harbour report', url: 'https://news.example/harbour' });
    ids = [await makeClaimIn(ctx.db, 'refuted', { author: editor, reviewer, reportId })];
    // A claim nobody is named for.
    const anonymous = await makeClaimIn(ctx.db, 'verified', { author: editor, reviewer, reportId });
    await ctx.db('claims').where({ id: anonymous }).update({ claimant: null });
    ids.push(anonymous);
  });
  after(async () => {
    await exportsSettled(ctx.db);
    await ctx.close();
  });

  test('each review is at its public address, has a headline, and names the organisation with its profiles and logo', async () => {
    const res = await client.get('/claims/sheet.jsonld?scope=decided');
    assert.equal(res.status, 200);
    const doc = JSON.parse(res.text) as { '@graph': Node[] };
    const expanded = (await jsonld.expand(doc as jsonld.JsonLdDocument, { documentLoader })) as Node[];
    for (const [i, review] of expanded.entries()) assertExpandsEveryProperty(doc['@graph'][i]!, review, 'ClaimReview');
    const byId = new Map(doc['@graph'].map((r) => [Number(String(r.url).split('/').pop()), r]));
    const refuted = byId.get(ids[0]!)!;
    assert.equal(refuted.url, `https://harbour.example/fact-checks/${ids[0]}`);
    assert.equal(refuted.name, 'False: The bridge opened in 2019.');
    assert.deepEqual(refuted.author, {
      '@type': 'Organization',
      name: 'Harbour Post Fact Check',
      url: 'https://harbour.example/',
      sameAs: ['https://social.example/@harbourcheck', 'https://video.example/harbourcheck'],
      logo: { '@type': 'ImageObject', url: 'https://harbour.example/logo.png' },
    });
    assert.deepEqual((refuted.itemReviewed as Node).author, { '@type': 'Person', name: 'The minister' });
    assert.deepEqual((byId.get(ids[1]!)!.itemReviewed as Node).author, { '@type': 'Person', name: 'Unknown' }, 'no claimant: "Unknown", as AFP writes it');
    assert.equal(ctx.logs.filter((l) => l.event === 'claimreview_private_urls').length, 0, 'no warning: the reviews have public addresses');
  });

  test('a headline longer than search results show is cut at 110 characters', async () => {
    const long = 'A'.repeat(30) + ' statement that goes on and on about the harbour, its bridge, its tunnel, its ferries and the years they opened';
    await ctx.db('claims').where({ id: ids[0]! }).update({ statement: long });
    const doc = JSON.parse((await client.get('/claims/sheet.jsonld?scope=decided')).text) as { '@graph': Node[] };
    const name = String(doc['@graph'].find((r) => String(r.url).endsWith(`/${ids[0]}`))!.name);
    assert.equal([...name].length, 110);
    assert.ok(name.startsWith(`False: ${'A'.repeat(30)}`) && name.endsWith('…'), name);
  });
});

describe('ClaimReview from a desk with no public addresses set', () => {
  test('the reviews point to the desk, the author has no guessed localhost url, and the export warns in one log line', async () => {
    const ctx = await createTestApp({ BASE_URL: '', ORG_URL: '' });
    try {
      const { editor, reviewer } = await makeDesk(ctx.db, ['editor', 'reviewer']);
      const client = await Client.signedIn(ctx.app, editor);
      const id = await makeClaimIn(ctx.db, 'verified', { author: editor, reviewer });
      const doc = JSON.parse((await client.get('/claims/sheet.jsonld')).text) as { '@graph': Node[] };
      const review = doc['@graph'][0]!;
      assert.match(String(review.url), new RegExp(`^http://localhost:\\d+/claims/${id}$`));
      assert.equal((review.author as Node).url, undefined);
      const warnings = ctx.logs.filter((l) => l.event === 'claimreview_private_urls');
      assert.equal(warnings.length, 1);
      assert.match(String(warnings[0]!.msg), /PUBLIC_REVIEW_URL is not set/);
      await exportsSettled(ctx.db);
    } finally {
      await ctx.close();
    }
  });
});

