import { Router, type Request, type Response } from 'express';
import type { Db } from '../platform/database.ts';
import { NotFoundError, fieldErrorsOf, type FieldErrors } from '../platform/errors.ts';
import { onFormFields } from '../platform/form-errors.ts';
import { onInvalid } from '../platform/http.ts';
import type { OutboundRules } from '../platform/outbound-address.ts';
import { allow } from '../platform/policies.ts';
import { parseId, parseInput } from '../platform/validate.ts';
import { deliveriesOf } from './deliveries.repo.ts';
import { findEndpoint, listEndpoints, type WebhookEndpoint } from './endpoints.repo.ts';
import { WEBHOOK_EVENTS } from './events.ts';
import { ENDPOINT_FIELDS, LogQuery, NewEndpointForm } from './schemas.ts';
import { deliveryView, endpointView, eventOptions, LOG_PAGE } from './webhook-pages.ts';
import { registerEndpoint, removeEndpoint, replayDelivery, switchEndpoint } from './webhooks.commands.ts';

/**
 * The admin pages of webhooks: the endpoints with their state, a form to
 * register one, and each endpoint's page with its delivery log, where a
 * delivery is replayed and the endpoint enabled, disabled or deleted.
 */
export function webhooksRoutes({ db, outbound }: { db: Db; outbound: OutboundRules }): Router {
  const router = Router();

  const newForm = (res: Response, state: { values: Record<string, unknown>; errors: FieldErrors }) => {
    const chosen = ([] as unknown[]).concat(state.values.events ?? []).map(String);
    res.render('admin/webhook-new', { title: 'Add a webhook endpoint', values: state.values, errors: state.errors, events: eventOptions(chosen) });
  };

  const load = async (req: Request): Promise<WebhookEndpoint> => {
    const id = parseId(req.params.id);
    const endpoint = id === null ? null : await findEndpoint(db, id);
    if (!endpoint) throw new NotFoundError('There is no such webhook endpoint: it may have been deleted.');
    return endpoint;
  };

  router.get('/admin/webhooks', allow('webhooks.manage'), async (_req, res) => {
    res.render('admin/webhooks', { title: 'Webhooks', endpoints: (await listEndpoints(db)).map(endpointView) });
  });

  router.get('/admin/webhooks/new', allow('webhooks.manage'), (_req, res) => {
    newForm(res, { values: { events: [...WEBHOOK_EVENTS] }, errors: {} });
  });

  router.post('/admin/webhooks', allow('webhooks.manage'), async (req, res) => {
    onInvalid(res, (err) => newForm(res, { values: req.body ?? {}, errors: onFormFields(fieldErrorsOf(err), ENDPOINT_FIELDS) }));
    const input = parseInput(NewEndpointForm, req.body);
    const { id, generatedSecret } = await registerEndpoint(db, req.user!, input, outbound);
    req.session.flash = generatedSecret
      ? { kind: 'success', text: 'Webhook endpoint added. Copy its secret below: it is shown only now.', secret: generatedSecret }
      : { kind: 'success', text: 'Webhook endpoint added. Deliveries are signed with the secret you gave.' };
    res.redirect(303, `/admin/webhooks/${id}`);
  });

  router.get('/admin/webhooks/:id', allow('webhooks.manage'), async (req, res) => {
    const endpoint = await load(req);
    const { before } = parseInput(LogQuery, req.query);
    const rows = await deliveriesOf(db, endpoint.id, { before, limit: LOG_PAGE + 1 });
    const page = rows.slice(0, LOG_PAGE);
    res.render('admin/webhook', {
      title: `Webhook: ${endpoint.url}`,
      endpoint: endpointView(endpoint),
      deliveries: page.map(deliveryView),
      older: rows.length > LOG_PAGE ? page.at(-1)!.id : null,
      newer: before !== null,
    });
  });

  for (const enabled of [true, false]) {
    router.post(`/admin/webhooks/:id/${enabled ? 'enable' : 'disable'}`, allow('webhooks.manage'), async (req, res) => {
      const endpoint = await load(req);
      const changed = await switchEndpoint(db, req.user!, endpoint.id, enabled);
      req.session.flash = !changed
        ? { kind: 'info', text: `Nothing changed: the endpoint is already ${enabled ? 'enabled' : 'disabled'}.` }
        : enabled
          ? { kind: 'success', text: 'Endpoint enabled. Deliveries waiting for it go out now.' }
          : { kind: 'success', text: 'Endpoint disabled. Its waiting deliveries are held until you enable it; events meanwhile are not sent to it.' };
      res.redirect(303, `/admin/webhooks/${endpoint.id}`);
    });
  }

  router.post('/admin/webhooks/:id/delete', allow('webhooks.manage'), async (req, res) => {
    const endpoint = await load(req);
    await removeEndpoint(db, endpoint.id);
    req.session.flash = { kind: 'success', text: `Webhook endpoint ${endpoint.url} deleted, with its delivery log.` };
    res.redirect(303, '/admin/webhooks');
  });

  router.post('/admin/webhooks/:id/deliveries/:deliveryId/replay', allow('webhooks.manage'), async (req, res) => {
    const endpoint = await load(req);
    const deliveryId = parseId(req.params.deliveryId);
    if (deliveryId === null) throw new NotFoundError('There is no such delivery for this endpoint.');
    await replayDelivery(db, endpoint.id, deliveryId);
    req.session.flash = {
      kind: 'success',
      text: `Delivery #${deliveryId} will be sent again in a moment, with the same id and body and a new signature.${endpoint.enabled ? '' : ' The endpoint is disabled: it goes out when you enable it.'}`,
    };
    res.redirect(303, `/admin/webhooks/${endpoint.id}`);
  });

  return router;
}
