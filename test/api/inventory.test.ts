import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { User } from '../../server/accounts/users.repo.ts';
import { can, ROLES, type Role } from '../../server/platform/policies.ts';
import { createTestApp, type TestContext } from '../support/app.ts';
import { ApiClient, tokenFor } from '../support/api.ts';
import { makeUser } from '../support/factories.ts';
import { fillPath, makeInventoryRecords } from '../support/inventory.ts';
import { listRoutes, type RouteInfo } from '../support/routes.ts';

/**
 * The route inventory for the token API: every /api/v1 route, without a
 * token, with each role's read-write token and with a read-only token. What
 * to expect comes from the policies, as for the pages.
 */
describe('API inventory: every operation against every role, by token', () => {
  let ctx: TestContext;
  let routes: RouteInfo[];
  const users = new Map<Role, User>();
  const writers = new Map<Role, ApiClient>();
  const readers = new Map<Role, ApiClient>();
  let params: Record<string, string>;

  before(async () => {
    ctx = await createTestApp({ API_RATE_LIMIT: '100000' });
    routes = listRoutes(ctx.app).filter((r) => r.path.startsWith('/api/v1/'));
    for (const role of ROLES) {
      const user = await makeUser(ctx.db, { role });
      users.set(role, user);
      writers.set(role, new ApiClient(ctx.app, await tokenFor(ctx.db, user, 'write')));
      readers.set(role, new ApiClient(ctx.app, await tokenFor(ctx.db, user, 'read')));
    }
    params = await makeInventoryRecords(ctx.db);
  });
  after(() => ctx.close());

  const call = (client: ApiClient, route: RouteInfo, path: string) =>
    route.method === 'GET' ? client.get(path) : route.method === 'PATCH' ? client.patch(path, {}) : client.post(path, {});

  test('the API has its operations, each naming a policy', () => {
    assert.ok(routes.length >= 25, `${routes.length} API routes`);
    assert.deepEqual(routes.filter((r) => r.policy === null).map((r) => `${r.method} ${r.path}`), []);
  });

  test('without a token every non-public operation answers 401 problem+json', async () => {
    for (const route of routes.filter((r) => r.policy !== 'public')) {
      const res = await call(new ApiClient(ctx.app, null), route, fillPath(route.path, params));
      assert.equal(res.status, 401, `${route.method} ${route.path}`);
      assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
    }
  });

  test('each role’s token gets 403 exactly where its policy refuses, a read-only token on every write, and never a 5xx', async () => {
    let tried = 0;
    for (const route of routes) {
      const path = fillPath(route.path, params);
      for (const role of ROLES) {
        const allowed = route.policy === 'public' || can(users.get(role), route.policy!);
        const res = await call(writers.get(role)!, route, path);
        assert.ok(res.status < 500, `${role} ${route.method} ${path}: ${res.status}`);
        if (allowed) assert.notEqual(res.status, 403, `${role} may ${route.method} ${path}: ${JSON.stringify(res.body)}`);
        else assert.equal(res.status, 403, `${role} may not ${route.method} ${path}`);
        if (route.method !== 'GET' && route.policy !== 'public') {
          const read = await call(readers.get(role)!, route, path);
          assert.equal(read.status, 403, `a read-only token may not ${route.method} ${path}`);
        }
        tried += 1;
      }
    }
    assert.ok(tried >= routes.length * ROLES.length);
  });

  test('every operation with an id answers 404 for a record that does not exist', async () => {
    const missing = Object.fromEntries(Object.keys(params).map((k) => [k, '2147483000']));
    for (const route of routes.filter((r) => r.path.includes('/:'))) {
      const res = await call(writers.get('admin')!, route, fillPath(route.path, missing));
      assert.equal(res.status, 404, `${route.method} ${route.path}: ${JSON.stringify(res.body)}`);
    }
  });
});
