import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { can, ROLES, type Actor, type Role } from '../../server/platform/policies.ts';
import type { User } from '../../server/accounts/users.repo.ts';
import { createTestApp, type TestContext } from '../support/app.ts';
import { Client } from '../support/client.ts';
import { makeUser } from '../support/factories.ts';
import { listRoutes, type RouteInfo } from '../support/routes.ts';
import { fillPath, makeInventoryRecords } from '../support/inventory.ts';

/**
 * Every route the app has, tried signed out and as each role. What to expect
 * comes from the policies themselves, so a route added without a policy, or
 * with the wrong one, fails here.
 */
describe('route inventory: every route against every role', () => {
  let ctx: TestContext;
  let routes: RouteInfo[];
  const clients = new Map<Role, Client>();
  const actors = new Map<Role, Actor | User>();
  let params: Record<string, string>;

  /** Signs each role in afresh (the sweep below ends with sign-out). */
  const signInAll = async () => {
    for (const role of ROLES) clients.set(role, await Client.signedIn(ctx.app, actors.get(role) as User));
  };

  /** The JSON API answers to tokens, not to these sessions: test/api/inventory.test.ts sweeps it the same way with a token per role. */
  const isTokenApi = (r: RouteInfo) => r.path.startsWith('/api/v1/');
  const sessionRoutes = () => routes.filter((r) => !isTokenApi(r));

  before(async () => {
    ctx = await createTestApp();
    routes = listRoutes(ctx.app);
    for (const role of ROLES) actors.set(role, await makeUser(ctx.db, { role }));
    await signInAll();
    params = await makeInventoryRecords(ctx.db);
  });
  after(() => ctx.close());

  test('the app has routes, and every one of them names a policy', () => {
    assert.ok(routes.length > 5);
    const unguarded = routes.filter((r) => r.policy === null).map((r) => `${r.method} ${r.path}`);
    assert.deepEqual(unguarded, [], 'routes without a policy');
  });

  test('signed out, every non-public route sends the visitor to sign in (JSON: 401)', async () => {
    for (const route of routes.filter((r) => r.policy !== 'public')) {
      const anon = new Client(ctx.app);
      const path = fillPath(route.path, params);
      const res = route.method === 'GET' ? await anon.get(path) : route.method === 'PATCH' ? await anon.agent.patch(path) : await anon.post(path);
      if (path.startsWith('/api/')) {
        assert.equal(res.status, 401, `${route.method} ${path} (an API path answers JSON)`);
      } else {
        assert.ok([302, 303].includes(res.status), `${route.method} ${path}: ${res.status}`);
        assert.equal(res.headers.location, '/login', `${route.method} ${path}`);
      }
      const json = route.method === 'GET' ? await anon.getJson(path) : route.method === 'PATCH' ? await anon.agent.patch(path).set('Accept', 'application/json').send({}) : await anon.postJson(path, {});
      assert.equal(json.status, 401, `${route.method} ${path} (JSON)`);
    }
  });

  test('each role gets 403 exactly where its policy refuses, and never a 5xx', async () => {
    let tried = 0;
    // Sign-out last, so it does not end the session the other routes use.
    const ordered = [...sessionRoutes()].sort((a, b) => Number(a.path === '/logout') - Number(b.path === '/logout'));
    for (const route of ordered) {
      for (const role of ROLES) {
        const client = clients.get(role)!;
        const path = fillPath(route.path, params);
        const res = route.method === 'GET' ? await client.get(path) : await client.post(path);
        tried += 1;
        const allowed = route.policy === 'public' || can(actors.get(role), route.policy!);
        assert.ok(res.status < 500, `${role} ${route.method} ${path}: ${res.status}`);
        if (allowed) assert.notEqual(res.status, 403, `${role} may ${route.method} ${path} (${route.policy})`);
        else assert.equal(res.status, 403, `${role} may not ${route.method} ${path} (${route.policy})`);
      }
    }
    console.log(`route inventory: ${routes.length} routes x ${ROLES.length} roles = ${tried} requests`);
  });

  test('every route with an id answers 404 for a record that does not exist, to every role its policy allows', async () => {
    await signInAll();
    const missing = Object.fromEntries(Object.keys(params).map((k) => [k, k === 'set-password' ? 'x'.repeat(43) : '2147483000']));
    let tried = 0;
    for (const route of sessionRoutes().filter((r) => r.path.includes('/:'))) {
      for (const role of ROLES) {
        if (route.policy !== 'public' && !can(actors.get(role), route.policy!)) continue;
        const path = fillPath(route.path, missing);
        const client = clients.get(role)!;
        const res = route.method === 'GET' ? await client.get(path) : await client.post(path);
        tried += 1;
        assert.equal(res.status, 404, `${role} ${route.method} ${path}`);
      }
    }
    assert.ok(tried > 20);
  });

  test('every state-changing route refuses a request without a CSRF token', async () => {
    await signInAll();
    const admin = clients.get('admin')!;
    for (const route of routes.filter((r) => r.method !== 'GET')) {
      const path = fillPath(route.path, params);
      const res = await admin.agent[route.method === 'PATCH' ? 'patch' : 'post'](path).type('form').send('x=1');
      // The token API ignores the cookie altogether: a request a page elsewhere could make a browser send is not even signed in.
      assert.equal(res.status, isTokenApi(route) ? 401 : 403, `${route.method} ${path}`);
    }
  });
});
