/**
 * Loads the org tree, departments, roles (with their permissions), the access policy and seed users of an activated definitions version into
 * the org tables, inside the publishing transaction. Nothing is deleted: entries that left the
 * definitions are deactivated, because cases and history keep referring to them.
 */
import type { Knex } from 'knex';
import type { BoundaryFeature, ResolvedPackage, Ring } from '@gridflow/engine';

const CHUNK = 100;

async function upsert(trx: Knex.Transaction, table: string, key: string, rows: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    await trx(table).insert(rows.slice(i, i + CHUNK)).onConflict(key).merge();
  }
}

function bbox(feature: BoundaryFeature | undefined) {
  if (!feature) return { min_lon: null, min_lat: null, max_lon: null, max_lat: null };
  const polygons = (feature.geometry.type === 'Polygon' ? [feature.geometry.coordinates] : feature.geometry.coordinates) as Ring[][];
  const points = polygons.flatMap((polygon) => polygon[0] ?? []);
  const lons = points.map((p) => p[0] ?? 0);
  const lats = points.map((p) => p[1] ?? 0);
  return { min_lon: Math.min(...lons), min_lat: Math.min(...lats), max_lon: Math.max(...lons), max_lat: Math.max(...lats) };
}

/**
 * Synchronises the org units, departments and definition-sourced users of a district package
 * (entries of that district missing from the package are deactivated), and its roles.
 */
export async function syncOrg(trx: Knex.Transaction, pkg: ResolvedPackage, versionId: number, now: Date): Promise<void> {
  const units = pkg.data.orgUnits?.units ?? [];
  const features = new Map((pkg.data.boundaries?.features ?? []).map((f) => [f.properties.code, f]));
  await upsert(trx, 'org_units', 'code', units.map((u) => ({
    code: u.code, name: u.name, short_name: u.shortName ?? null, level: u.level, parent_code: u.parent ?? null,
    kind: u.kind ?? 'base', population: u.population ?? null, households: u.households ?? null, area: u.area ?? null,
    boundary: features.has(u.code) ? JSON.stringify(features.get(u.code)?.geometry) : null,
    ...bbox(features.get(u.code)), active: true, definition_version_id: versionId,
  })));
  const district = pkg.manifest.districtCode ?? '';
  await trx('org_units').where('code', 'like', `${district}%`).whereNotIn('code', units.map((u) => u.code)).update({ active: false });

  const departments = pkg.data.departments?.departments ?? [];
  await upsert(trx, 'departments', 'code', departments.map((d) => ({
    code: d.code, name: d.name, short_name: d.shortName ?? null, kind: d.kind ?? 'functional',
    org_unit_code: d.orgUnit, phone: d.phone ?? null, active: true,
  })));
  await trx('departments').where('org_unit_code', 'like', `${district}%`).whereNotIn('code', departments.map((d) => d.code)).update({ active: false });

  const roles = pkg.data.roles?.roles ?? [];
  await upsert(trx, 'roles', 'code', roles.map((r) => ({
    code: r.code, name: r.name, name_en: r.nameEn ?? null, scope: r.scope, description: r.description ?? null,
    permissions: JSON.stringify(r.permissions ?? []), active: true,
  })));
  await trx('roles').whereNotIn('code', roles.map((r) => r.code)).update({ active: false });
  await syncAccessPolicy(trx, pkg);
  await syncUsers(trx, pkg, district, now);
}

/** Replaces the separation-of-duties rules and sensitive fields with those of the package. */
async function syncAccessPolicy(trx: Knex.Transaction, pkg: ResolvedPackage): Promise<void> {
  const sod = pkg.data.access?.separationOfDuties ?? [];
  await trx('sod_rules').update({ active: false });
  await upsert(trx, 'sod_rules', 'code', sod.map((r) => ({
    code: r.code, name: r.name, name_en: r.nameEn ?? null, rule: JSON.stringify(r), active: true,
  })));
  const fields = pkg.data.access?.sensitiveFields ?? [];
  await trx('sensitive_fields').update({ active: false });
  for (let i = 0; i < fields.length; i += CHUNK) {
    await trx('sensitive_fields').insert(fields.slice(i, i + CHUNK).map((f) => ({ subject: f.subject, field: f.field, kind: f.kind, active: true })))
      .onConflict(['subject', 'field']).merge();
  }
}

async function syncUsers(trx: Knex.Transaction, pkg: ResolvedPackage, district: string, now: Date): Promise<void> {
  const seeds = pkg.data.users?.users ?? [];
  const rows = seeds.map((seed) => ({
    username: seed.username, display_name: seed.name, org_unit_code: seed.orgUnit, department_code: seed.department ?? null,
    phone: seed.phone ?? null, source: 'definitions', status: 'active', created_at: now, updated_at: now,
  }));
  for (let i = 0; i < rows.length; i += CHUNK) {
    await trx('users').insert(rows.slice(i, i + CHUNK)).onConflict('username')
      .merge(['display_name', 'org_unit_code', 'department_code', 'phone', 'source', 'status', 'updated_at']);
  }
  const usernames = seeds.map((s) => s.username);
  const ids = new Map<string, number>();
  for (let i = 0; i < usernames.length; i += CHUNK) {
    const found = await trx('users').whereIn('username', usernames.slice(i, i + CHUNK)).select('id', 'username') as { id: number; username: string }[];
    for (const u of found) ids.set(u.username, u.id);
  }
  const idList = [...ids.values()];
  for (let i = 0; i < idList.length; i += CHUNK) {
    await trx('user_roles').whereIn('user_id', idList.slice(i, i + CHUNK)).delete();
    await trx('user_grids').whereIn('user_id', idList.slice(i, i + CHUNK)).delete();
  }
  const roleRows = seeds.flatMap((s) => s.roles.map((role_code) => ({ user_id: ids.get(s.username), role_code })));
  const gridRows = seeds.flatMap((s) => (s.grids ?? []).map((grid_code) => ({ user_id: ids.get(s.username), grid_code })));
  for (let i = 0; i < roleRows.length; i += CHUNK) await trx('user_roles').insert(roleRows.slice(i, i + CHUNK));
  for (let i = 0; i < gridRows.length; i += CHUNK) await trx('user_grids').insert(gridRows.slice(i, i + CHUNK));
  await trx('users').where({ source: 'definitions' }).where('org_unit_code', 'like', `${district}%`).whereNotIn('username', usernames).update({ status: 'disabled', updated_at: now });
}
