/** Published definitions versions, for configuration administrators. */
import { Router } from 'express';
import type { Knex } from 'knex';
import type { DefinitionsResponse } from '../contracts/index.ts';
import { defineRoute, mountRoutes } from '../http/route.ts';
import type { RegisteredRoute, RouteSpec } from '../http/route.ts';
import { DefinitionsStore } from './definitions.store.ts';

/** The definitions router (mounted at /api/definitions). */
export function definitionsRouter(db: Knex, registry: RegisteredRoute[]): Router {
  const routes = [defineRoute({
    method: 'get', path: '/', summary: 'Published definitions versions', access: { action: 'read', subject: 'Definition' },
    handler: async (): Promise<DefinitionsResponse> => ({ versions: await new DefinitionsStore(db).list() }),
  })] as RouteSpec[];
  return mountRoutes(Router(), '/api/definitions', routes, registry);
}
