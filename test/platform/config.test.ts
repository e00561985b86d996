import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../../server/platform/config.ts';

describe('configuration from the environment', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'factdesk-config-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('defaults: port 3000, ./data, no DATABASE_URL, a generated secret kept in DATA_DIR', () => {
    const config = loadConfig({ DATA_DIR: dir });
    assert.equal(config.port, 3000);
    assert.equal(config.databaseUrl, undefined);
    assert.equal(config.sessionIdleMinutes, 30);
    assert.equal(config.sessionMaxHours, 12);
    const file = path.join(dir, 'session-secret');
    assert.equal(readFileSync(file, 'utf8').trim(), config.sessionSecret);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(loadConfig({ DATA_DIR: dir }).sessionSecret, config.sessionSecret, 'the same secret on the next start');
  });

  const bad: [Record<string, string>, RegExp][] = [
    [{ PORT: 'abc' }, /^PORT must be a whole number/],
    [{ PORT: '70000' }, /^PORT must be a whole number/],
    [{ DATABASE_URL: 'mysql://x' }, /^DATABASE_URL must be a postgres/],
    [{ NODE_ENV: 'staging' }, /^NODE_ENV must be development, production or test/],
    [{ SESSION_SECRET: 'short' }, /^SESSION_SECRET must be at least 32 characters/],
    [{ SESSION_IDLE_MINUTES: '0' }, /^SESSION_IDLE_MINUTES must be a whole number/],
    [{ NODE_ENV: 'production' }, /^SESSION_SECRET is required when NODE_ENV=production/],
  ];
  for (const [env, message] of bad) {
    test(`${JSON.stringify(env)} is refused with a message naming the variable`, () => {
      assert.throws(() => loadConfig({ DATA_DIR: dir, ...env }), (err: unknown) => err instanceof ConfigError && message.test(err.message));
    });
  }

  test('an empty variable counts as unset', () => {
    assert.equal(loadConfig({ DATA_DIR: dir, PORT: '', DATABASE_URL: '' }).port, 3000);
  });
});
