/**
 * The units a user may see the assessment of, with their names. A unit is visible when a case placed
 * in it would be in the user's `export` scope on `Case`: a street leader's rule `streetCode = S` shows
 * street S, its communities and grids and the grid workers of those grids; a district role's rule shows
 * every unit of the district, departments included (a department is placed at its org unit).
 */
import type { Knex } from 'knex';
import { asSubject } from '@gridflow/engine';
import type { UnitKind } from '@gridflow/engine';
import type { SignedInUser } from '../http/request-context.ts';

/** The units of a kind the user may see, in code order, with display names. */
export interface VisibleUnits {
  units: string[];
  names: Record<string, string>;
}

type Place = Partial<Record<'gridCode' | 'communityCode' | 'streetCode' | 'districtCode', string>>;
interface OrgRow { code: string; name: string; level: string; parent_code: string | null }

/** The org tree: each unit's place (itself and its ancestors by level). */
class OrgTree {
  readonly byCode: Map<string, OrgRow>;

  constructor(rows: OrgRow[]) {
    this.byCode = new Map(rows.map((r) => [r.code, r]));
  }

  placeOf(code: string | null | undefined): Place {
    const place: Place = {};
    for (let unit = code ? this.byCode.get(code) : undefined; unit; unit = unit.parent_code ? this.byCode.get(unit.parent_code) : undefined) {
      const field = `${unit.level}Code` as keyof Place;
      if (['gridCode', 'communityCode', 'streetCode', 'districtCode'].includes(field)) place[field] ??= unit.code;
    }
    return place;
  }
}

/** The units of `kind` the user may see: those of the org tree, departments or grid workers, plus any `counted` ones they may see. */
export async function visibleUnits(db: Knex, user: SignedInUser, kind: UnitKind, counted: readonly string[]): Promise<VisibleUnits> {
  const tree = new OrgTree(await db('org_units').where({ active: true }).select('code', 'name', 'level', 'parent_code') as OrgRow[]);
  const may = (place: Place & { departments?: string[] }) => user.ability.can('export', asSubject('Case', place));
  const names: Record<string, string> = {};
  const units = new Set<string>();
  if (kind === 'department') {
    const rows = await db('departments').where({ active: true }).select('code', 'name', 'org_unit_code') as { code: string; name: string; org_unit_code: string }[];
    for (const d of rows) {
      if (!may({ ...tree.placeOf(d.org_unit_code), departments: [d.code] })) continue;
      units.add(d.code);
      names[d.code] = d.name;
    }
  } else if (kind === 'gridWorker') {
    await gridWorkerUnits(db, tree, may, counted, units, names);
  } else {
    const known = [...tree.byCode.values()].filter((u) => u.level === kind).map((u) => u.code);
    for (const code of new Set([...known, ...counted])) {
      const unit = tree.byCode.get(code);
      if (!unit || unit.level !== kind || !may(tree.placeOf(code))) continue;
      units.add(code);
      names[code] = unit.name;
    }
  }
  return { units: [...units].sort(), names };
}

/** Grid workers (and anyone else counted as one, e.g. a visitor) placed at their grids, else at their org unit. */
async function gridWorkerUnits(
  db: Knex, tree: OrgTree, may: (place: Place) => boolean, counted: readonly string[], units: Set<string>, names: Record<string, string>,
): Promise<void> {
  const workers = await db('users as u').join('user_roles as r', 'r.user_id', 'u.id').where({ 'r.role_code': 'grid-worker', 'u.status': 'active' }).pluck('u.username') as string[];
  const usernames = [...new Set([...workers, ...counted])];
  if (usernames.length === 0) return;
  const rows = await db('users').whereIn('username', usernames).select('id', 'username', 'display_name', 'org_unit_code') as { id: number; username: string; display_name: string; org_unit_code: string }[];
  const grids = await db('user_grids').whereIn('user_id', rows.map((r) => r.id)).select('user_id', 'grid_code') as { user_id: number; grid_code: string }[];
  for (const r of rows) {
    const own = grids.filter((g) => Number(g.user_id) === Number(r.id)).map((g) => g.grid_code);
    const places = (own.length > 0 ? own : [r.org_unit_code]).map((code) => tree.placeOf(code));
    if (!places.some(may)) continue;
    units.add(r.username);
    names[r.username] = r.display_name;
  }
}
