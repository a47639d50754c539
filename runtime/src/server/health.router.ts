/** Health check (mounted at /api/health): the server answers, its database too, and the state of the engine. */
import { Router } from 'express';
import type { Knex } from 'knex';
import { HealthResponse } from '../contracts/index.ts';
import { defineRoute, mountRoutes } from '../http/route.ts';
import type { RegisteredRoute, RouteSpec } from '../http/route.ts';
import type { EngineStatus } from './app.ts';

/** The health router: 200 while up, 503 (same body) while the engine is down. */
export function healthRouter(db: Knex, engine: EngineStatus | undefined, registry: RegisteredRoute[]): Router {
  const routes = [
    defineRoute({
      method: 'get', path: '/', summary: 'Liveness of the server, its database and engine (503 while the engine is down)', access: 'public', response: HealthResponse,
      handler: async (_input, _ctx, _req, res): Promise<HealthResponse> => {
        await db.raw('select 1');
        if (engine?.status === 'down') res.status(503);
        return { status: 'ok', ...(engine ? { engine: engine.status } : {}) };
      },
    }),
  ] as RouteSpec[];
  return mountRoutes(Router(), '/api/health', routes, registry);
}
