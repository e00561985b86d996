import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../../server/platform/config.ts';

describe('configuration from the environment', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'factdesk-config-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('defaults: port 3000, ./data, no DATABASE_URL, and no session secret of its own: the database holds the desk\'s', () => {
    const config = loadConfig({ DATA_DIR: dir });
    assert.equal(config.port, 3000);
    assert.equal(config.databaseUrl, undefined);
    assert.equal(config.databaseMigrationUrl, undefined);
    assert.equal(config.sessionIdleMinutes, 30);
    assert.equal(config.sessionMaxHours, 12);
    assert.equal(config.sessionSecret, undefined);
    assert.equal(config.legacySessionSecret, undefined);
    assert.equal(existsSync(path.join(dir, 'session-secret')), false, 'no secret is written into DATA_DIR');
  });

  test('the secret an older Factdesk kept in DATA_DIR is still read, to check the cookies it signed', () => {
    const older = mkdtempSync(path.join(tmpdir(), 'factdesk-config-'));
    try {
      writeFileSync(path.join(older, 'session-secret'), 'an-older-secret-that-is-long-enough-to-sign\n', { mode: 0o600 });
      assert.equal(loadConfig({ DATA_DIR: older }).legacySessionSecret, 'an-older-secret-that-is-long-enough-to-sign');
    } finally {
      rmSync(older, { recursive: true, force: true });
    }
  });

  const bad: [Record<string, string>, RegExp][] = [
    [{ PORT: 'abc' }, /^PORT must be a whole number/],
    [{ PORT: '70000' }, /^PORT must be a whole number/],
    [{ DATABASE_URL: 'mysql://x' }, /^DATABASE_URL must be a postgres/],
    [{ NODE_ENV: 'staging' }, /^NODE_ENV must be development, production or test/],
    [{ SESSION_SECRET: 'short' }, /^SESSION_SECRET must be at least 32 characters/],
    [{ SESSION_IDLE_MINUTES: '0' }, /^SESSION_IDLE_MINUTES must be a whole number/],
    [{ PUBLIC_REVIEW_URL: 'https://news.example/fact-checks/' }, /^PUBLIC_REVIEW_URL must be an absolute http\(s\) URL with \{id\}/],
    [{ ORG_SAME_AS: 'https://social.example/a, not a url' }, /^ORG_SAME_AS must be absolute http\(s\) URLs, separated by commas/],
    [{ ORG_LOGO: 'logo.png' }, /^ORG_LOGO must be an absolute http\(s\) URL/],
    [{ DATABASE_MIGRATION_URL: 'postgres://owner@db/factdesk' }, /^DATABASE_MIGRATION_URL is for a PostgreSQL server named by DATABASE_URL/],
    [{ DATABASE_URL: 'postgres://app@db/factdesk', DATABASE_MIGRATION_URL: 'mysql://x' }, /^DATABASE_MIGRATION_URL must be a postgres/],
  ];
  for (const [env, message] of bad) {
    test(`${JSON.stringify(env)} is refused with a message naming the variable`, () => {
      assert.throws(() => loadConfig({ DATA_DIR: dir, ...env }), (err: unknown) => err instanceof ConfigError && message.test(err.message));
    });
  }

  test('the organisation of the ClaimReview export: its url is ORG_URL, else BASE_URL when set, never a guessed localhost', () => {
    assert.equal(loadConfig({ DATA_DIR: dir }).orgUrl, undefined);
    assert.equal(loadConfig({ DATA_DIR: dir, BASE_URL: 'https://desk.example/' }).orgUrl, 'https://desk.example');
    const c = loadConfig({ DATA_DIR: dir, ORG_URL: 'https://news.example/', ORG_SAME_AS: 'https://a.example/x, https://b.example/y', PUBLIC_REVIEW_URL: 'https://news.example/checks/{id}' });
    assert.equal(c.orgUrl, 'https://news.example/');
    assert.deepEqual(c.orgSameAs, ['https://a.example/x', 'https://b.example/y']);
    assert.equal(c.publicReviewUrl, 'https://news.example/checks/{id}');
  });

  test('an empty variable counts as unset', () => {
    assert.equal(loadConfig({ DATA_DIR: dir, PORT: '', DATABASE_URL: '' }).port, 3000);
  });
});
