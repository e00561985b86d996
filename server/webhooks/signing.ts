import { createHmac } from 'node:crypto';
import type { WebhookEvent } from './events.ts';

/** What the database's trigger stores for a delivery: the event and the claim as the transition left it. */
export interface StoredPayload {
  event: WebhookEvent;
  occurredAt: string;
  claim: {
    id: number;
    statement: string;
    status: string;
    verdict: string | null;
    confidence: string | null;
    report: { id: number; title: string };
  };
  actor: { id: number; name: string } | null;
  comment: string | null;
}

/**
 * The JSON body of a delivery, in a fixed order of fields, from what the
 * trigger stored: the same delivery makes the same body every time it is
 * sent (a retry or a replay), so a receiver can compare them.
 */
export function webhookBody(delivery: { id: number; payload: StoredPayload }, baseUrl: string): string {
  const { payload: p } = delivery;
  return JSON.stringify({
    id: delivery.id,
    event: p.event,
    occurredAt: p.occurredAt,
    claim: {
      id: p.claim.id,
      url: `${baseUrl}/claims/${p.claim.id}`,
      statement: p.claim.statement,
      status: p.claim.status,
      verdict: p.claim.verdict ?? null,
      confidence: p.claim.confidence ?? null,
      report: { id: p.claim.report.id, title: p.claim.report.title },
    },
    actor: p.actor ? { id: p.actor.id, name: p.actor.name } : null,
    comment: p.comment ?? null,
  });
}

/** The signature of a body sent at a time (unix seconds): HMAC-SHA256 of `${timestamp}.${body}` with the endpoint's secret, in hex, as `v1=<hex>`. */
export function signatureOf(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** The headers of one sending of a delivery (README, "Webhooks"). */
export function deliveryHeaders(props: { id: number; event: WebhookEvent; secret: string; timestamp: number; body: string }): Record<string, string> {
  return {
    'content-type': 'application/json',
    'factdesk-webhook-id': String(props.id),
    'factdesk-webhook-event': props.event,
    'factdesk-webhook-timestamp': String(props.timestamp),
    'factdesk-webhook-signature': signatureOf(props.secret, props.timestamp, props.body),
  };
}
