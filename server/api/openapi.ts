import { z } from 'zod';
import type { GuardedHandler } from '../platform/policies.ts';
import type { Operation } from './operations.ts';
import { ProblemOut } from './schemas.ts';

/** JSON Schema (2020-12, OpenAPI 3.1's dialect) of a zod schema: what a client sends (`input`) or receives (`output`). */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, target: 'draft-2020-12', unrepresentable: 'any' }) as Record<string, unknown>;
  return io === 'input' ? optionalWhereLenient(rest) : rest;
}

/**
 * In a request, a field the schema turns from "missing" into null or a
 * default may be left out: zod lists every field as required on its input
 * side, so those are taken off the list.
 */
function optionalWhereLenient(schema: Record<string, unknown>): Record<string, unknown> {
  const properties = schema.properties as Record<string, Record<string, unknown>> | undefined;
  if (!properties || !Array.isArray(schema.required)) return schema;
  const lenient = (p: Record<string, unknown>) => 'default' in p || (Array.isArray(p.anyOf) && (p.anyOf as { type?: string }[]).some((a) => a.type === 'null')) || p.type === 'array';
  return { ...schema, required: (schema.required as string[]).filter((name) => !lenient(properties[name] ?? {})) };
}

const PROBLEM = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };

const PROBLEMS: Record<number, string> = {
  400: 'The input was refused: `errors` says why, field by field.',
  401: 'No valid token was sent.',
  403: 'The token’s user may not do this, or the token is read only.',
  404: 'There is no such record.',
  409: 'The record changed since the version sent, or conflicts with another: `current` holds it as it is now.',
  429: 'Too many requests: wait as Retry-After says.',
};

const isPublic = (op: Operation) => op.policy === 'public' || (typeof op.policy === 'function' && (op.policy as GuardedHandler).policy === 'public');

/** The OpenAPI 3.1 document of the operations, generated from the same zod schemas that check their input and type their answers. */
export function openApiDocument(operations: readonly Operation[], info: { baseUrl: string; orgName: string }): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const path = op.path.replace(/:(\w+)/g, '{$1}');
    const pathParams = [...op.path.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1]!, in: 'path', required: true, schema: { type: 'integer', minimum: 1 } }));
    const query = op.query ? jsonSchema(op.query, 'input') : null;
    const queryParams = query
      ? Object.entries(query.properties as Record<string, Record<string, unknown>>).map(([name, schema]) => ({ name, in: 'query', required: false, schema }))
      : [];
    const problems = [
      ...(op.body || op.query ? [400] : []),
      ...(isPublic(op) ? [] : [401, 403]),
      ...(pathParams.length || op.id === 'takeNextClaim' ? [404] : []),
      ...(op.method === 'get' ? [] : [409]),
      429,
    ];
    (paths[path] ??= {})[op.method] = {
      operationId: op.id,
      tags: [op.tag],
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      ...(isPublic(op) ? { security: [] } : {}),
      parameters: [...pathParams, ...queryParams],
      ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(op.body, 'input') } } } } : {}),
      responses: {
        ...Object.fromEntries(Object.entries(op.responses).map(([status, r]) => [status, { description: r.description, content: { 'application/json': { schema: jsonSchema(r.schema, 'output') } } }])),
        ...Object.fromEntries(problems.map((status) => [String(status), { description: PROBLEMS[status]!, content: PROBLEM }])),
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: `Factdesk API (${info.orgName})`,
      version: '1',
      description: 'The desk’s reports, claims, sources, evidence, workflow and ClaimReview feed. Every operation acts as the token’s user, under the same rules as the web pages.',
    },
    servers: [{ url: info.baseUrl }],
    security: [{ token: [] }],
    components: {
      securitySchemes: { token: { type: 'http', scheme: 'bearer', description: 'A personal access token, made on the account page (Your account → API tokens).' } },
      schemas: { Problem: jsonSchema(ProblemOut, 'output') },
    },
    paths,
  };
}
