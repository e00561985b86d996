import type { Actor } from './policies.ts';

declare global {
  namespace Express {
    // The signed-in user passport puts on req.user (server/accounts/users.repo.ts reads it).
    interface User extends Actor {
      /** Whether report pages suggest checkable sentences to them. */
      showSuggestions?: boolean;
    }
    interface Request {
      /** The API token the request came with, once accepted (server/api/auth.ts). */
      apiToken?: { id: number; scope: 'read' | 'write' };
    }
  }
}

declare module 'express-session' {
  interface SessionData {
    csrfToken?: string;
    /** When the session was signed in (ms since epoch): the absolute lifetime counts from here. */
    signedInAt?: number;
    /** Last request seen (ms): the idle timeout counts from here. */
    lastSeenAt?: number;
    /** A same-site path to return to after signing in. */
    returnTo?: string;
    /** One-shot message shown on the next page. */
    flash?: { kind: 'success' | 'info' | 'warning'; text: string; secret?: string };
  }
}

export {};
