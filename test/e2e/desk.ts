import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import type { User } from '../../server/accounts/users.repo.ts';
import type { Role } from '../../server/platform/policies.ts';
import { normaliseBody } from '../../server/reports/text.ts';
import { createTestApp, type TestContext } from '../support/app.ts';
import { assertAccessible } from '../support/axe.ts';
import { browserSkip, launchBrowser, listen } from '../support/browser.ts';
import { makeReport, makeUser, TEST_PASSWORD } from '../support/factories.ts';
import { missingShared, SHARED } from '../support/shared.ts';

/** The news report every journey works on, and the sentence the first claim quotes. */
export const FIXTURE = path.join(SHARED, 'fixtures/report-28-point-plan.txt');
export const QUOTE = 'Russian officials told the platform that they are "hopeful" about the plan';
export const FIXTURE_TITLE = 'US has been working on a 28-point plan';
export const skip = browserSkip() || missingShared('fixtures/report-28-point-plan.txt');

/** One person at the desk, in their own Chromium profile (their own cookies). */
export interface Person {
  name: string;
  email: string;
  password: string;
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** The people of the journeys. */
export const CAST: Record<Role, { name: string; email: string; password: string }> = {
  admin: { name: 'Ada Admin', email: 'ada@desk.test', password: 'quiet harbour lantern 42' },
  editor: { name: 'Eli Editor', email: 'eli@desk.test', password: 'violet kettle morning 7' },
  reviewer: { name: 'Rosa Reviewer', email: 'rosa@desk.test', password: 'amber station winter 9' },
};

/**
 * The app served on a free port with a clean database, for one file of
 * journeys: people open their own browsers on it, and every page state a
 * journey checks with axe-core is counted and reported when it closes.
 */
export class BrowserDesk {
  readonly people: Partial<Record<Role, Person>> = {};
  /** The accounts `seat` made, by role. */
  readonly accounts: Partial<Record<Role, User>> = {};
  private axeChecked = 0;

  private constructor(
    readonly ctx: TestContext,
    readonly server: Awaited<ReturnType<typeof listen>>,
  ) {}

  static async open(options: { clock?: () => Date; env?: Record<string, string> } = {}): Promise<BrowserDesk> {
    const ctx = await createTestApp({ BASE_URL: 'http://127.0.0.1', ...options.env }, options.clock ? { clock: options.clock } : {});
    return new BrowserDesk(ctx, await listen(ctx.app));
  }

  /** The address of a path on this desk's server. */
  url(p: string): string {
    return `${this.server.url}${p}`;
  }

  /** Opens a browser for a person (confirm dialogs are accepted, as a person who meant it would). */
  async browserFor(name: string, email: string, password: string): Promise<Person> {
    const browser = await launchBrowser();
    const page = await browser.context.newPage();
    page.on('dialog', (d) => void d.accept());
    return { name, email, password, context: browser.context, page, close: browser.close };
  }

  /** Signs a person in through the sign-in form. */
  async signIn(person: Person): Promise<void> {
    await person.page.goto(this.url('/login'));
    await person.page.getByLabel('Email address').fill(person.email);
    await person.page.getByLabel('Password').fill(person.password);
    await person.page.getByRole('button', { name: 'Sign in' }).click();
    await person.page.waitForURL(this.url('/'));
  }

  /**
   * People of the cast with accounts made by the factories (a journey that
   * is not about setting up accounts starts from them), each signed in
   * through the form in their own browser.
   */
  async seat(roles: readonly Role[]): Promise<Record<Role, Person>> {
    for (const role of roles) {
      const { name, email } = CAST[role];
      this.accounts[role] = await makeUser(this.ctx.db, { role, email, displayName: name });
      const person = await this.browserFor(name, email, TEST_PASSWORD);
      this.people[role] = person;
      await this.signIn(person);
    }
    return this.people as Record<Role, Person>;
  }

  /** The fixture report, imported by `by` through the app's own command, as the import form would store it. */
  async fixtureReport(by: User): Promise<string> {
    const id = await makeReport(this.ctx.db, by, { title: FIXTURE_TITLE, outlet: 'Wire copy', url: null, body: normaliseBody(readFileSync(FIXTURE, 'utf8')) });
    return this.url(`/reports/${id}`);
  }

  /** Runs axe-core on the page as it is now, and counts it. */
  async check(page: Page, name: string): Promise<void> {
    await assertAccessible(page, name);
    this.axeChecked += 1;
  }

  async close(): Promise<void> {
    for (const p of Object.values(this.people)) await p.close();
    await this.server.close();
    await this.ctx.close();
    console.log(`axe-core: ${this.axeChecked} page states checked with WCAG 2.1 A/AA rules`);
  }
}
