import type { Request, RequestHandler, Response, Router } from 'express';
import { z } from 'zod';
import { allow, publicRoute, type Action, type GuardedHandler } from '../platform/policies.ts';
import { AppError } from '../platform/errors.ts';
import { parseInput } from '../platform/validate.ts';

/** One operation of the API: its route, its policy, and the zod schemas its input and answers are checked against. */
export interface Operation<B extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType> {
  method: 'get' | 'post' | 'patch';
  /** The Express path, /api/v1/claims/:id. */
  path: string;
  id: string;
  tag: string;
  summary: string;
  description?: string;
  /** The policy that guards the route ('public': anyone; a guard of its own for settings such as the feed's). */
  policy: Action | 'public' | GuardedHandler;
  query?: Q;
  body?: B;
  /** The answers, by status: the schema the body is written to (and tested against). */
  responses: Record<number, { description: string; schema: z.ZodType }>;
}

/**
 * What a handler gets: the checked body and query. Each is checked when first
 * read, so a handler that loads its record first answers 404 for a missing
 * one before 400 for its input, as the pages do.
 */
export interface OperationInput<B extends z.ZodType, Q extends z.ZodType> {
  body: z.output<B>;
  query: z.output<Q>;
}

/**
 * The operations, in the order they were defined: the routes are made from
 * them and so is the OpenAPI document (openapi.ts), so the two cannot drift.
 */
export class OperationRegistry {
  readonly operations: Operation[] = [];

  /** Adds an operation to the router: its guard, its input checked by its schemas, then the handler. */
  add<B extends z.ZodType, Q extends z.ZodType>(
    router: Router,
    op: Operation<B, Q>,
    handler: (req: Request, res: Response, input: OperationInput<B, Q>) => Promise<void> | void,
  ): void {
    this.operations.push(op as unknown as Operation);
    const guard: GuardedHandler = typeof op.policy === 'function' ? op.policy : op.policy === 'public' ? publicRoute() : allow(op.policy);
    const run: RequestHandler = async (req, res) => {
      if (op.method !== 'get') requireJson(req);
      const input = {
        get body() {
          return (op.body ? parseInput(op.body, req.body) : {}) as z.output<B>;
        },
        get query() {
          return (op.query ? parseInput(op.query, req.query) : {}) as z.output<Q>;
        },
      };
      await handler(req, res, input);
    };
    router[op.method](op.path, guard, run);
  }
}

/** A body that is not JSON is refused (415) rather than read as no input. */
function requireJson(req: Request): void {
  const hasBody = Number(req.get('content-length') ?? 0) > 0 || req.get('transfer-encoding') !== undefined;
  if (hasBody && !req.is(['application/json', 'application/*+json'])) throw new AppError(415, 'unsupported_media_type', 'Send the body as JSON (Content-Type: application/json).');
}
