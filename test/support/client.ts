import type { Express } from 'express';
import request from 'supertest';
import type { User } from '../../server/accounts/users.repo.ts';
import { TEST_PASSWORD } from './factories.ts';

type Agent = ReturnType<typeof request.agent>;
type Form = Record<string, string | number | boolean | undefined | null | string[]>;

/** The CSRF token in a page's forms. */
export function csrfFrom(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m?.[1]) throw new Error('no CSRF token in the page');
  return m[1];
}

/**
 * A browser-like client: keeps cookies, reads the CSRF token from a page and
 * sends it with every form, as a person's browser would.
 */
export class Client {
  readonly agent: Agent;
  private token: string | undefined;

  constructor(readonly app: Express) {
    this.agent = request.agent(app);
  }

  /** Signs in through the sign-in form. */
  static async signedIn(app: Express, user: Pick<User, 'email'>, password = TEST_PASSWORD): Promise<Client> {
    const client = new Client(app);
    const res = await client.post('/login', { email: user.email, password });
    if (res.status !== 303) throw new Error(`sign-in failed with ${res.status}`);
    client.token = undefined; // a new session has a new token
    return client;
  }

  get(path: string) {
    return this.agent.get(path);
  }

  getJson(path: string) {
    return this.agent.get(path).set('Accept', 'application/json');
  }

  /** The session's CSRF token, read from a page once. */
  async csrf(): Promise<string> {
    for (const path of ['/login', '/account', '/setup']) {
      if (this.token) break;
      const page = await this.agent.get(path);
      if (page.status === 200) this.token = csrfFrom(page.text);
    }
    if (!this.token) throw new Error('no page offered a CSRF token');
    return this.token;
  }

  /** Posts a form (urlencoded) with the CSRF token. */
  async post(path: string, form: Form = {}) {
    const body = new URLSearchParams();
    body.append('_csrf', await this.csrf());
    for (const [key, value] of Object.entries(form)) {
      if (value === undefined || value === null) continue;
      if (Array.isArray(value)) value.forEach((v) => body.append(key, v));
      else body.append(key, String(value));
    }
    return this.agent.post(path).type('form').send(body.toString());
  }

  /** Posts JSON with the CSRF token in its header. */
  async postJson(path: string, json: unknown) {
    return this.agent.post(path).set('Accept', 'application/json').set('X-CSRF-Token', await this.csrf()).send(json as object);
  }

  /** Forgets the cached token (after sign-in/out the session changes). */
  resetToken(): void {
    this.token = undefined;
  }
}
