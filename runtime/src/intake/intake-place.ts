/**
 * Where a report belongs: the grid it names, or else the grid whose boundary contains its location
 * (point-in-polygon over the grid boundaries of the org tree; base grids before department grids,
 * then the smallest), with that grid's community, street and district. And where a reporter may
 * report: staff within their own area (a grid worker anywhere in their community), citizens anywhere.
 */
import type { Knex } from 'knex';
import { pointInGeometry } from '@gridflow/engine';
import type { LocalizedText, SubmissionProblem } from '@gridflow/engine';
import type { LoadedPolicy } from '../access/policy.loader.ts';
import type { SignedInUser } from '../http/request-context.ts';

/** The org codes of a case's place. */
export interface Place {
  gridCode: string;
  communityCode: string | null;
  streetCode: string | null;
  districtCode: string | null;
}

/** A reported point: [lon, lat]. */
export type LonLat = [number, number];

const problem = (pointer: string, code: string, message: LocalizedText): SubmissionProblem => ({ pointer, code, message });

/** The place of a grid of the org tree (undefined when the code is not an active grid). */
export function placeOfGrid(policy: LoadedPolicy, gridCode: string): Place | undefined {
  const grid = policy.units.get(gridCode);
  if (!grid || grid.level !== 'grid') return undefined;
  const at: Record<string, string> = {};
  for (let unit = policy.units.get(grid.parent ?? ''); unit; unit = unit.parent ? policy.units.get(unit.parent) : undefined) at[unit.level] ??= unit.code;
  return { gridCode, communityCode: at.community ?? null, streetCode: at.street ?? null, districtCode: at.district ?? null };
}

/** Planar area of a Polygon or MultiPolygon (outer rings less holes), to prefer the smallest grid. */
function areaOf(geometry: { type: string; coordinates: unknown }): number {
  const polygons = (geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates) as number[][][][];
  const ring = (r: number[][]) => Math.abs(r.reduce((sum, p, i) => {
    const q = r[(i + 1) % r.length] ?? p;
    return sum + (p[0] ?? 0) * (q[1] ?? 0) - (q[0] ?? 0) * (p[1] ?? 0);
  }, 0)) / 2;
  return polygons.reduce((sum, [outer, ...holes]) => sum + ring(outer ?? []) - holes.reduce((h, r) => h + ring(r), 0), 0);
}

/** The grid whose boundary contains a point: base grids first, then the smallest; undefined outside every boundary. */
export async function gridAt(db: Knex, [lon, lat]: LonLat): Promise<string | undefined> {
  const rows = await db('org_units').where({ level: 'grid', active: true }).whereNotNull('boundary')
    .where('min_lon', '<=', lon).where('max_lon', '>=', lon).where('min_lat', '<=', lat).where('max_lat', '>=', lat)
    .select('code', 'kind', 'boundary') as { code: string; kind: string; boundary: string }[];
  const containing = rows.map((r) => ({ ...r, geometry: JSON.parse(r.boundary) as { type: string; coordinates: unknown } }))
    .filter((r) => pointInGeometry([lon, lat], r.geometry))
    .map((r) => ({ code: r.code, base: r.kind !== 'department', area: areaOf(r.geometry) }))
    .sort((a, b) => Number(b.base) - Number(a.base) || a.area - b.area || a.code.localeCompare(b.code));
  return containing[0]?.code;
}

/** Resolves the place of a report from its `grid` or `location`; problems name the field. */
export async function resolvePlace(db: Knex, policy: LoadedPolicy, grid: string | undefined, point: LonLat | undefined): Promise<{ place?: Place; problems: SubmissionProblem[] }> {
  if (grid) {
    const place = placeOfGrid(policy, grid);
    if (place) return { place, problems: [] };
    return { problems: [problem('/grid', 'intake.unknownGrid', { 'zh-CN': `网格“${grid}”不在本区组织架构中`, en: `Grid "${grid}" is not a grid of the org tree` })] };
  }
  if (!point) return { problems: [] };
  const code = await gridAt(db, point);
  const place = code ? placeOfGrid(policy, code) : undefined;
  if (place) return { place, problems: [] };
  return {
    problems: [problem('/location', 'intake.noGrid', {
      'zh-CN': '事发位置不在任何网格范围内，请核对位置或选择所属网格', en: 'The location is outside every grid boundary; check the location or choose the grid',
    })],
  };
}

/** The level up to which each role scope may report (undefined: anywhere). */
const REPORT_AREA: Record<string, 'community' | 'street' | 'district' | undefined> = {
  grid: 'community', community: 'community', street: 'street', district: 'district', department: 'district', self: undefined,
};

/** Whether the user may report a case at this place (through any of their roles that may report). */
export function mayReportAt(user: SignedInUser, place: Place): boolean {
  const p = user.principal;
  const codes: Record<string, string | null> = { community: place.communityCode, street: place.streetCode, district: place.districtCode };
  for (const code of p.roles) {
    const role = user.policy.roles.get(code);
    if (!role?.permissions.some((perm) => perm.subject === 'Case' && perm.actions.includes('report'))) continue;
    const level = REPORT_AREA[role.scope];
    if (!level) return true;
    const own = p[level];
    if (own && codes[level] === own) return true;
  }
  return false;
}

/** The problem of a report outside the reporter's area, on the field that placed it. */
export function outsideArea(field: '/grid' | '/location'): SubmissionProblem {
  return problem(field, 'intake.outsideArea', {
    'zh-CN': '该位置不在您可上报的范围内（网格员可在本社区内上报，工作人员在本级辖区内上报）',
    en: 'This place is outside the area you may report in (grid workers: their community; staff: their own area)',
  });
}
