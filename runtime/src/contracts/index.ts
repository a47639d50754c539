/** Typed contracts of the HTTP API, shared with the web apps (designer, workbench). */

/** Error body of every refused or failed request. */
export interface ApiError {
  error: {
    code: string;
    message: string;
    details?: { target?: string; where?: string; message: string }[];
    requestId: string;
  };
}

/** GET /api/health */
export interface HealthResponse {
  status: 'ok';
  engine?: 'up' | 'down';
}

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
