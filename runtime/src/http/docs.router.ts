/** API documentation (mounted at /api/docs): the OpenAPI 3.1 document of every declared route and a reference page of it. */
import { readFileSync } from 'node:fs';
import { Router } from 'express';
import { renderDocsPage } from './docs-page.ts';
import { buildOpenApi } from './openapi.ts';
import type { OpenApiDocument } from './openapi.ts';
import { defineRoute, mountRoutes } from './route.ts';
import type { RegisteredRoute, RouteSpec } from './route.ts';

/** Version of the runtime package: the version of the API. */
export const apiVersion = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

const DOCUMENT_PATH = '/api/docs/openapi.json';

/** The docs router (mounted at /api/docs); the document covers every route in `registry` when first asked for. */
export function docsRouter(registry: RegisteredRoute[]): Router {
  let document: OpenApiDocument | undefined;
  // Routes are all declared before the server listens: build the document once, on first use.
  const current = () => (document ??= buildOpenApi(registry, apiVersion));
  const routes = [
    defineRoute({
      method: 'get', path: '/', summary: 'API reference: every operation with its access and JSON schemas', access: 'public',
      handler: async (_input, _ctx, _req, res) => {
        res.type('html').send(renderDocsPage(current(), DOCUMENT_PATH));
        return undefined;
      },
    }),
    defineRoute({
      method: 'get', path: '/openapi.json', summary: 'The OpenAPI 3.1 document of the API', access: 'public',
      handler: async () => current(),
    }),
  ] as RouteSpec[];
  return mountRoutes(Router(), '/api/docs', routes, registry);
}
