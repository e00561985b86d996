import type { Express } from 'express';
import request from 'supertest';
import type { User } from '../../server/accounts/users.repo.ts';
import { createApiToken } from '../../server/accounts/api-tokens.ts';
import type { Db } from '../../server/platform/database.ts';

/** A token for the user, made by the same command as the account page. */
export async function tokenFor(db: Db, user: User, scope: 'read' | 'write' = 'write', lifetimeDays = 30): Promise<string> {
  return (await createApiToken(db, user, { name: `test ${scope}`, scope, lifetimeDays })).secret;
}

/** Seen by a test: the method, the Express-style path template of the operation, the status and the parsed body. */
export interface ApiExchange {
  method: string;
  path: string;
  status: number;
  contentType: string;
  body: unknown;
}

/** A client of the JSON API with one token (or none); every answer is passed to `seen`, for the OpenAPI check. */
export class ApiClient {
  constructor(
    private readonly app: Express,
    private readonly token: string | null,
    private readonly seen: (exchange: ApiExchange) => void = () => {},
  ) {}

  private auth(req: request.Test): request.Test {
    return this.token ? req.set('Authorization', `Bearer ${this.token}`) : req;
  }

  private async record(method: string, path: string, res: request.Response): Promise<request.Response> {
    this.seen({ method, path, status: res.status, contentType: String(res.headers['content-type'] ?? ''), body: res.body });
    return res;
  }

  async get(path: string): Promise<request.Response> {
    return this.record('get', path, await this.auth(request(this.app).get(path)));
  }

  async post(path: string, body: unknown = {}): Promise<request.Response> {
    return this.record('post', path, await this.auth(request(this.app).post(path)).send(body as object));
  }

  async patch(path: string, body: unknown): Promise<request.Response> {
    return this.record('patch', path, await this.auth(request(this.app).patch(path)).send(body as object));
  }
}
