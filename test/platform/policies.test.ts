import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ACTIONS, can, type Action, type Actor, type Role } from '../../server/platform/policies.ts';

const actor = (role: Role, id = 1): Actor => ({ id, role, email: `${role}@desk.test`, displayName: role });

describe('policies', () => {
  const roleTable: [Action, Role[]][] = [
    ['desk.read', ['editor', 'reviewer', 'admin']],
    ['claim.create', ['editor', 'reviewer', 'admin']],
    ['claim.progress', ['editor', 'reviewer', 'admin']],
    ['evidence.manage', ['editor', 'reviewer', 'admin']],
    ['claim.decide', ['reviewer', 'admin']],
    ['claim.reopen', ['reviewer', 'admin']],
    ['queue.work', ['reviewer', 'admin']],
    ['users.manage', ['admin']],
    ['audit.read', ['admin']],
  ];
  for (const [action, roles] of roleTable) {
    for (const role of ['editor', 'reviewer', 'admin'] as Role[]) {
      test(`${role} ${roles.includes(role) ? 'may' : 'may not'} ${action}`, () => assert.equal(can(actor(role), action), roles.includes(role)));
    }
  }

  test('nobody signed out may do anything', () => {
    for (const action of ACTIONS) assert.equal(can(undefined, action), false);
  });

  test('an unknown action is denied (deny by default)', () => {
    assert.equal(can(actor('admin'), 'claims.delete_everything' as Action), false);
  });

  test('the four-eyes rule: no reviewer or admin decides a claim they wrote or edited', () => {
    const claim = { authors: [7, 9] };
    assert.equal(can(actor('reviewer', 7), 'claim.decide', claim), false);
    assert.equal(can(actor('admin', 9), 'claim.decide', claim), false);
    assert.equal(can(actor('reviewer', 8), 'claim.decide', claim), true);
    assert.equal(can(actor('editor', 8), 'claim.decide', claim), false);
  });
});
