/**
 * Typed contracts of the HTTP API, shared with the web apps (designer, workbench). Contracts written
 * as TypeBox schemas are both the JSON Schema of the OpenAPI document (/api/docs) and the type.
 */

/** An org unit as listed by GET /api/org/units. */
export interface OrgUnitSummary {
  code: string;
  name: string;
  level: 'district' | 'street' | 'community' | 'grid';
  parent: string | null;
  kind: 'base' | 'department';
  population: number | null;
  households: number | null;
}

/** GET /api/org/units?parent=<code> */
export interface OrgUnitsResponse {
  units: OrgUnitSummary[];
}

/** A published definitions version. */
export interface DefinitionVersionSummary {
  key: string;
  version: string;
  name: string;
  hash: string;
  base?: string;
  publishedAt: string;
  publishedBy?: string;
  active: boolean;
}

/** GET /api/definitions */
export interface DefinitionsResponse {
  versions: DefinitionVersionSummary[];
}
export * from './auth.ts';
export * from './common.ts';
export * from './health.ts';
export * from './cases.ts';
export * from './tasks.ts';
export * from './intake.ts';
export * from './assessment.ts';
export * from './notifications.ts';
export * from './org.ts';
export * from './clock.ts';
export * from './supervision.ts';
export * from './whistle.ts';
