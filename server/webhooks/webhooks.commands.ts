import { randomBytes } from 'node:crypto';
import type { Db } from '../platform/database.ts';
import { NotFoundError, ValidationError } from '../platform/errors.ts';
import { checkedAddress, OutboundRefusal, type OutboundRules } from '../platform/outbound-address.ts';
import type { Actor } from '../platform/policies.ts';
import { findDelivery, requeueDelivery } from './deliveries.repo.ts';
import { deleteEndpoint, insertEndpoint, setEndpointEnabled } from './endpoints.repo.ts';
import type { WebhookEvent } from './events.ts';

/** A secret made for an admin who left the field empty: 32 random bytes, base64url. */
export const generateSecret = (): string => randomBytes(32).toString('base64url');

/**
 * Registers an endpoint. Its address goes through the desk's one outbound
 * guard now, so an address on a private network or this machine is refused
 * beside the field (unless FETCH_ALLOW_HOSTS names its host); the dispatcher
 * checks it again at every sending. Without a secret, one is made and
 * returned, to be shown once.
 */
export async function registerEndpoint(
  db: Db,
  actor: Actor,
  input: { url: string; events: WebhookEvent[]; secret: string | null },
  rules: OutboundRules,
): Promise<{ id: number; generatedSecret: string | null }> {
  try {
    await checkedAddress(new URL(input.url), rules);
  } catch (err) {
    if (err instanceof OutboundRefusal) throw new ValidationError({ url: err.message });
    throw err;
  }
  const generatedSecret = input.secret ? null : generateSecret();
  const id = await insertEndpoint(db, { url: input.url, events: input.events, secret: input.secret ?? generatedSecret!, createdBy: actor.id });
  return { id, generatedSecret };
}

/** Enables or disables an endpoint by hand; false when it already was so. */
export async function switchEndpoint(db: Db, actor: Actor, endpointId: number, enabled: boolean): Promise<boolean> {
  return setEndpointEnabled(db, endpointId, enabled ? { enabled: true } : { enabled: false, reason: `Disabled by ${actor.displayName}.` });
}

/** Deletes an endpoint, its deliveries and their attempts. */
export async function removeEndpoint(db: Db, endpointId: number): Promise<void> {
  if (!(await deleteEndpoint(db, endpointId))) throw new NotFoundError('There is no such webhook endpoint: it may have been deleted.');
}

/** Sends a delivery of the endpoint again: the same id and body, a new timestamp and signature. */
export async function replayDelivery(db: Db, endpointId: number, deliveryId: number): Promise<void> {
  await db.transaction(async (trx) => {
    const delivery = await findDelivery(trx, endpointId, deliveryId);
    if (!delivery) throw new NotFoundError('There is no such delivery for this endpoint.');
    await requeueDelivery(trx, delivery.id);
  });
}
