import type { SessionData } from 'express-session';
import type { LinkPurpose } from './password-links.repo.ts';

/** A set-password link just made, waiting in the admin's session for its page to show it once. */
export interface IssuedLink {
  userId: number;
  token: string;
  purpose: LinkPurpose;
  /** Made with a new account (the page then says "Account created"). */
  created: boolean;
}

declare module 'express-session' {
  interface SessionData {
    /** Links made by this admin and not shown yet: never in a URL or the log. */
    issuedLinks?: IssuedLink[];
    /** The email of the account whose password was just set, filled in on the sign-in page once. */
    signInEmail?: string;
  }
}

type Notes = Partial<SessionData>;

// An admin who makes links (say, through the JSON API) without opening their
// pages must not grow the session without end.
const MAX_WAITING = 10;

/** Keeps a just-made link until its page shows it; a newer link for the same account replaces it. */
export function keepIssuedLink(session: Notes, link: IssuedLink): void {
  const others = (session.issuedLinks ?? []).filter((l) => l.userId !== link.userId);
  session.issuedLinks = [...others, link].slice(-MAX_WAITING);
}

/** Takes the link waiting for this account out of the session (it is shown once), or null. */
export function takeIssuedLink(session: Notes, userId: number): IssuedLink | null {
  const waiting = session.issuedLinks ?? [];
  const link = waiting.find((l) => l.userId === userId) ?? null;
  if (!link) return null;
  const rest = waiting.filter((l) => l !== link);
  if (rest.length > 0) session.issuedLinks = rest;
  else delete session.issuedLinks;
  return link;
}

/** Takes the email to fill in on the sign-in page, once. */
export function takeSignInEmail(session: Notes): string | undefined {
  const email = session.signInEmail;
  delete session.signInEmail;
  return email;
}
