import type { Express } from 'express';
import type { Action } from '../../server/platform/policies.ts';

export interface RouteInfo {
  method: string;
  path: string;
  /** The policy the route's guard names, or null when it has none (a defect). */
  policy: Action | 'public' | null;
}

interface Layer {
  route?: { path: string; methods: Record<string, boolean>; stack: { handle: { policy?: Action | 'public' } }[] };
  handle: { stack?: Layer[] };
}

/** Every route the app answers, read from Express's own router, with the policy guarding it. */
export function listRoutes(app: Express): RouteInfo[] {
  const routes: RouteInfo[] = [];
  const visit = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        const policy = layer.route.stack.map((l) => l.handle.policy).find((p) => p !== undefined) ?? null;
        for (const method of Object.keys(layer.route.methods)) {
          if (method === '_all') continue;
          routes.push({ method: method.toUpperCase(), path: layer.route.path, policy });
        }
      } else if (layer.handle.stack) {
        visit(layer.handle.stack);
      }
    }
  };
  visit((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return routes;
}
