import { publicRoute } from '../../platform/policies.ts';
import type { ApiContext } from '../context.ts';
import { openApiDocument } from '../openapi.ts';

/** The OpenAPI document and a page that reads it for people; both public (they hold no data). */
export function docsOperations({ router, ops, config }: ApiContext): void {
  let document: Record<string, unknown> | null = null;
  // Made on first request, once every operation is registered.
  const doc = () => (document ??= openApiDocument(ops.operations, { baseUrl: config.baseUrl, orgName: config.orgName }));

  router.get('/api/v1/openapi.json', publicRoute(), (_req, res) => {
    res.json(doc());
  });

  router.get('/api/v1/docs', publicRoute(), (_req, res) => {
    res.render('api/docs', { title: 'API', doc: doc(), operations: ops.operations });
  });
}
