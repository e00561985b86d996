import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { Role } from '../../server/platform/policies.ts';
import { BrowserDesk, skip, type Person } from './desk.ts';

/**
 * The first morning of a desk, in a real Chromium: the first admin sets the
 * desk up and brings in an editor and a reviewer, through the app's own
 * pages only (no account is made behind its back).
 */
describe('browser journey: the first run', { skip }, () => {
  let desk: BrowserDesk;
  let server: BrowserDesk['server'];
  let people: Record<Role, Person>;
  const url = (p: string) => desk.url(p);
  const check = (page: Page, name: string) => desk.check(page, name);
  const open = (name: string, email: string, password: string) => desk.browserFor(name, email, password);
  const signIn = (person: Person) => desk.signIn(person);

  before(async () => {
    desk = await BrowserDesk.open();
    server = desk.server;
    people = desk.people as Record<Role, Person>;
  });
  after(() => desk?.close());

  test('1. first run: /setup creates the admin; the admin creates an editor and a reviewer', async () => {
    people.admin = await open('Ada Admin', 'ada@desk.test', 'quiet harbour lantern 42');
    const { page } = people.admin;
    await page.goto(url('/'));
    await page.waitForURL(url('/setup'));
    await check(page, 'setup');
    await page.getByLabel('Your name').fill('Ada Admin');
    await page.getByLabel('Email address').fill(people.admin.email);
    await page.getByLabel('Password').fill(people.admin.password);
    await page.getByRole('button', { name: 'Create admin account' }).click();
    await page.waitForURL(url('/'));
    await assert.doesNotReject(page.getByRole('heading', { name: 'Dashboard' }).waitFor());
    await check(page, 'dashboard (empty)');

    for (const [role, name, email, password] of [
      ['editor', 'Eli Editor', 'eli@desk.test', 'violet kettle morning 7'],
      ['reviewer', 'Rosa Reviewer', 'rosa@desk.test', 'amber station winter 9'],
    ] as const) {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Accounts' }).click();
      await check(page, 'admin: accounts');
      await page.getByRole('link', { name: 'Add an account' }).click();
      await page.getByLabel('Name').fill(name);
      await page.getByLabel('Email address').fill(email);
      await page.getByLabel(role === 'editor' ? 'Editor' : 'Reviewer', { exact: true }).check();
      await check(page, 'admin: add an account');
      await page.getByRole('button', { name: 'Create account' }).click();
      const link = await page.getByLabel('Set-password link').inputValue();
      await check(page, 'admin: link issued');
      const person = await open(name, email, password);
      people[role] = person;
      await person.page.goto(link.replace('http://127.0.0.1', server.url));
      await person.page.getByLabel('New password').fill(password);
      await person.page.getByRole('button', { name: 'Set password' }).click();
      await person.page.waitForURL(url('/login'));
      await check(person.page, 'login');
      await signIn(person);
    }
    await page.goto(url('/admin/users'));
    assert.match(await page.textContent('main') ?? '', /Eli Editor[\s\S]*Rosa Reviewer|Rosa Reviewer[\s\S]*Eli Editor/);
  });

  test('the dashboard shows the desk’s work, and the account page is accessible', async () => {
    const { page } = people.admin;
    await page.goto(url('/'));
    assert.match(await page.textContent('main') ?? '', /Decisions in the last 14 days/);
    assert.equal(await page.locator('svg.chart').count(), 2);
    await check(page, 'dashboard');
    await page.goto(url('/account'));
    await check(page, 'account');
    await page.goto(url('/claims?q=hopeful'));
    await check(page, 'claims list with search');
  });
});
