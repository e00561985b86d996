import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { hashPassword, passwordProblem, verifyPassword } from '../../server/accounts/passwords.ts';

describe('password hashing', () => {
  test('the same password hashes differently each time, and the hash names its scrypt parameters', async () => {
    const [a, b] = await Promise.all([hashPassword('correct horse battery'), hashPassword('correct horse battery')]);
    assert.notEqual(a, b);
    for (const hash of [a, b]) assert.match(hash, /^scrypt\$N=131072,r=8,p=1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{88}$/);
  });

  test('verifies the right password and refuses a wrong one or a missing hash', async () => {
    const hash = await hashPassword('correct horse battery');
    assert.equal(await verifyPassword('correct horse battery', hash), true);
    assert.equal(await verifyPassword('correct horse batterY', hash), false);
    assert.equal(await verifyPassword('correct horse battery', null), false);
    assert.equal(await verifyPassword('correct horse battery', 'md5$abc'), false);
  });

  test('a hash made with other parameters still verifies (they are read from the hash)', async () => {
    const { scryptSync, randomBytes } = await import('node:crypto');
    const salt = randomBytes(16);
    const key = scryptSync('older password here', salt, 64, { N: 2 ** 14, r: 8, p: 1 });
    const old = `scrypt$N=16384,r=8,p=1$${salt.toString('base64')}$${key.toString('base64')}`;
    assert.equal(await verifyPassword('older password here', old), true);
  });
});

describe('password rules', () => {
  const cases: [string, string | null, RegExp | null][] = [
    ['short', null, /at least 12 characters/],
    ['x'.repeat(257), null, /256 characters or fewer/],
    ['ana@example.org', 'Ana@Example.org', /not be your email/],
    ['1q2w3e4r5t6y', null, /commonly used/],
    ['QWERTY123456', null, /commonly used/],
    ['twelve chars', null, null],
    ['ünïcødé pass wörd', null, null],
    ['a'.repeat(256), null, null],
    ['🙂'.repeat(12), null, null],
  ];
  for (const [password, email, problem] of cases) {
    test(`${JSON.stringify(password.slice(0, 30))}${password.length > 30 ? '…' : ''} is ${problem ? 'refused' : 'accepted'}`, () => {
      const result = passwordProblem(password, email);
      if (problem) assert.match(result ?? '', problem);
      else assert.equal(result, null);
    });
  }
});
