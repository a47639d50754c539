/** Org tree API: units by parent, scoped to what the user may see. */
import { Router } from 'express';
import type { Knex } from 'knex';
import { Type } from '@sinclair/typebox';
import type { OrgUnitsResponse, OrgUnitSummary } from '../contracts/index.ts';
import { DepartmentsResponseSchema } from '../contracts/org.ts';
import type { DepartmentsResponse } from '../contracts/org.ts';
import { activeDefinitions } from '../definitions/active-definitions.ts';
import { whereAllowed } from '../access/sql-conditions.ts';
import { orgUnitSql } from '../access/subject-maps.ts';
import { defineRoute, mountRoutes } from '../http/route.ts';
import type { RegisteredRoute, RouteSpec } from '../http/route.ts';
import { signedIn } from '../http/request-context.ts';

/** The org router (mounted at /api/org). */
export function orgRouter(db: Knex, registry: RegisteredRoute[]): Router {
  const routes = [defineRoute({
    method: 'get', path: '/units', summary: 'Active child units of a unit (the top units when no parent)', access: { action: 'read', subject: 'OrgUnit' },
    query: Type.Object({ parent: Type.Optional(Type.String({ pattern: '^[0-9A-Z]{6,15}$' })) }, { additionalProperties: false }),
    handler: async ({ query }, ctx): Promise<OrgUnitsResponse> => {
      const user = signedIn(ctx);
      const q = db('org_units').where({ active: true }).select('code', 'name', 'level', 'parent_code as parent', 'kind', 'population', 'households').orderBy('code');
      if (query.parent) q.where({ parent_code: query.parent });
      else q.whereNull('parent_code');
      whereAllowed(q, user.ability, 'read', 'OrgUnit', orgUnitSql, user.principal);
      return { units: await q as OrgUnitSummary[] };
    },
  }), defineRoute({
    method: 'get', path: '/departments', summary: 'The departments of the definitions in use for the user\'s district (what dispatch and whistles may name)',
    access: 'signedIn', response: DepartmentsResponseSchema,
    handler: async (_input, ctx): Promise<DepartmentsResponse> => {
      const user = signedIn(ctx);
      const defs = (await activeDefinitions(db)).forDistrict(user.principal.district);
      const departments = (defs?.departments() ?? []).map((d) => ({ code: d.code, name: d.name, shortName: d.shortName ?? null, kind: d.kind ?? 'functional' }));
      return { departments };
    },
  })] as RouteSpec[];
  return mountRoutes(Router(), '/api/org', routes, registry);
}
