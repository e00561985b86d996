import type { DeliveryRow, DeliveryState } from './deliveries.repo.ts';
import type { EndpointSummary, WebhookEndpoint } from './endpoints.repo.ts';
import { EVENT_LABELS, WEBHOOK_EVENTS, type WebhookEvent } from './events.ts';

/** How many deliveries a page of an endpoint's log shows. */
export const LOG_PAGE = 50;

const STATE_WORDS: Record<DeliveryState, { label: string; badge: 'ok' | 'warning' | 'muted' }> = {
  pending: { label: 'Waiting', badge: 'muted' },
  failed: { label: 'Failed, will retry', badge: 'warning' },
  delivered: { label: 'Delivered', badge: 'ok' },
  dead: { label: 'Gave up', badge: 'warning' },
};

/** The events as the form's checkboxes, ticked as chosen. */
export function eventOptions(chosen: readonly string[]) {
  return WEBHOOK_EVENTS.map((event) => ({ value: event, ...EVENT_LABELS[event], checked: chosen.includes(event) }));
}

const eventWords = (events: readonly WebhookEvent[]) => events.map((e) => EVENT_LABELS[e]?.label ?? e);

/** An endpoint for the pages: its events in words and its state; in the list, its last attempt too. */
export function endpointView(endpoint: WebhookEndpoint | EndpointSummary) {
  const summary = 'failing' in endpoint ? endpoint : null;
  return {
    id: endpoint.id,
    url: endpoint.url,
    events: endpoint.events,
    eventLabels: eventWords(endpoint.events),
    enabled: endpoint.enabled,
    state: endpoint.enabled ? (endpoint.consecutiveFailures > 0 ? 'Failing' : 'Enabled') : 'Disabled',
    badge: endpoint.enabled ? (endpoint.consecutiveFailures > 0 ? 'warning' : 'ok') : 'muted',
    consecutiveFailures: endpoint.consecutiveFailures,
    disabledAt: endpoint.disabledAt,
    disabledReason: endpoint.disabledReason,
    createdByName: endpoint.createdByName,
    createdAt: endpoint.createdAt,
    last: summary?.lastAttemptAt ? { at: summary.lastAttemptAt, status: summary.lastStatus, state: STATE_WORDS[summary.lastState as DeliveryState]?.label ?? '' } : null,
    failing: summary?.failing ?? 0,
    dead: summary?.dead ?? 0,
  };
}

/** A row of the delivery log. */
export function deliveryView(delivery: DeliveryRow) {
  return {
    id: delivery.id,
    event: delivery.event,
    eventLabel: EVENT_LABELS[delivery.event]?.label ?? delivery.event,
    claimId: delivery.claimId,
    state: STATE_WORDS[delivery.state].label,
    badge: STATE_WORDS[delivery.state].badge,
    status: delivery.lastStatus,
    responseMs: delivery.lastResponseMs,
    attempts: delivery.attemptsMade,
    error: delivery.lastError,
    nextAttemptAt: delivery.state === 'pending' || delivery.state === 'failed' ? delivery.nextAttemptAt : null,
    lastAttemptAt: delivery.lastAttemptAt,
    createdAt: delivery.createdAt,
  };
}
