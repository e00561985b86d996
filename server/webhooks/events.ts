/**
 * The events a webhook endpoint may subscribe to, and which action of the
 * state table (server/review/states.ts) makes each. The database's trigger
 * (migrations/20261208000300_webhooks.ts) writes the deliveries with the
 * same mapping; test/webhooks checks that the two agree. Requesting changes
 * and restoring a withdrawn claim send nothing.
 */
export const WEBHOOK_EVENTS = ['claim.submitted', 'claim.decided', 'claim.reopened', 'claim.withdrawn'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** Each event in words, with when it is sent, for the admin's form and pages. */
export const EVENT_LABELS: Record<WebhookEvent, { label: string; hint: string }> = {
  'claim.submitted': { label: 'Claim submitted', hint: 'A claim goes into the review queue (submitted or resubmitted).' },
  'claim.decided': { label: 'Claim decided', hint: 'A reviewer verifies or refutes a claim, or marks it unverifiable.' },
  'claim.reopened': { label: 'Claim reopened', hint: 'A decided claim is reopened and goes back to its editors.' },
  'claim.withdrawn': { label: 'Claim withdrawn', hint: 'A claim is withdrawn from the desk’s work.' },
};

/** The state table's actions that send an event, and which one. */
export const EVENT_OF_ACTION: Readonly<Record<string, WebhookEvent>> = {
  submit: 'claim.submitted',
  resubmit: 'claim.submitted',
  verify: 'claim.decided',
  refute: 'claim.decided',
  mark_unverifiable: 'claim.decided',
  reopen: 'claim.reopened',
  withdraw: 'claim.withdrawn',
};
