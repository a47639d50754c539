/**
 * The world of the authorization matrix, generated from the demo district: one signed-in user per
 * role, for each of them a case (with a task) inside their scope and related to them, and a case in
 * another district related to nobody. Plus an oracle that says, from the role permissions in the
 * definitions and the fixture data alone (no GridFlow code), what each user may see and do.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { AccessAction, AccessSubject, Permission, RoleScope, SeparationOfDutiesRule } from '@gridflow/engine';

/** A demo user standing for their role. */
export interface Actor {
  role: string;
  username: string;
  userId: number;
  scope: RoleScope;
  permissions: Permission[];
  grids: string[];
  orgUnit: string;
  ancestors: Record<string, string>;
  department: string | null;
}

/** A fixture case with its task and the relations users have to it. */
export interface FixtureCase {
  id: string;
  taskId: string;
  taskKey: string;
  grid: string;
  community: string;
  street: string;
  district: string;
  reporter: number | null;
  handlerDepartment: string | null;
  cc: number | null;
  assignee: string | null;
  candidateGroups: string[];
  /** An attachment of the case (set by the matrix after uploading one). */
  attachmentId?: string;
}

/** A fixture register record (实有人口) with a link to a house in the same grid. */
export interface FixtureRecord {
  id: string;
  grid: string;
  community: string;
  street: string;
  district: string;
  linkId: string;
}

/** A user record as the oracle sees it. */
export interface FixtureUser {
  username: string;
  orgUnit: string;
  department: string | null;
}

/** Everything the matrix runs over. */
export interface World {
  actors: Actor[];
  cases: FixtureCase[];
  users: FixtureUser[];
  sod: SeparationOfDutiesRule[];
  /** The case in scope of each actor (by role) and the one in no one's scope. */
  inScope: Map<string, FixtureCase>;
  outOfScope: FixtureCase;
  records: FixtureRecord[];
  /** The register record in the grid of each actor's in-scope case, and one in no one's scope. */
  recordInScope: Map<string, FixtureRecord>;
  recordOutOfScope: FixtureRecord;
  subtree(code: string): Set<string>;
}

async function ancestorsOf(db: Knex, code: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (let c: string | null = code; c;) {
    const unit = await db('org_units').where({ code: c }).first('code', 'level', 'parent_code') as { code: string; level: string; parent_code: string | null } | undefined;
    if (!unit) break;
    out[unit.level] ??= unit.code;
    c = unit.parent_code;
  }
  return out;
}

/** Builds the world in a database that has the demo district. */
export async function buildWorld(db: Knex): Promise<World> {
  const roles = await db('roles').where({ active: true }).orderBy('code').select('code', 'scope', 'permissions') as { code: string; scope: RoleScope; permissions: string }[];
  const units = await db('org_units').where({ active: true }).select('code', 'level', 'parent_code') as { code: string; level: string; parent_code: string | null }[];
  const children = new Map<string, string[]>();
  for (const u of units) if (u.parent_code) children.set(u.parent_code, [...(children.get(u.parent_code) ?? []), u.code]);
  const subtree = (code: string) => {
    const out = new Set<string>();
    const stack = [code];
    while (stack.length) { const c = stack.pop() as string; out.add(c); stack.push(...(children.get(c) ?? [])); }
    return out;
  };
  const baseGrids = units.filter((u) => u.level === 'grid').map((u) => u.code).sort();
  const actors: Actor[] = [];
  for (const role of roles) {
    const user = await db('users as u').join('user_roles as r', 'r.user_id', 'u.id').where({ 'r.role_code': role.code, 'u.status': 'active' })
      .orderBy('u.username').first('u.id', 'u.username', 'u.org_unit_code', 'u.department_code') as { id: number; username: string; org_unit_code: string; department_code: string | null } | undefined;
    if (!user) throw new Error(`The demo district has no user with role ${role.code}`);
    const otherRoles = await db('user_roles').where({ user_id: user.id }).whereNot({ role_code: role.code }).first();
    if (otherRoles) throw new Error(`Matrix user ${user.username} has more than one role`);
    const grids = (await db('user_grids').where({ user_id: user.id }).select('grid_code') as { grid_code: string }[]).map((g) => g.grid_code);
    actors.push({
      role: role.code, username: user.username, userId: user.id, scope: role.scope, permissions: JSON.parse(role.permissions) as Permission[],
      grids, orgUnit: user.org_unit_code, ancestors: await ancestorsOf(db, user.org_unit_code), department: user.department_code,
    });
  }
  const now = new Date('2026-11-23T08:00:00Z');
  const cases: FixtureCase[] = [];
  const inScope = new Map<string, FixtureCase>();
  const add = async (c: FixtureCase) => {
    cases.push(c);
    await db('cases').insert({
      id: c.id, process_definition_key: 'matrix', process_instance_id: `pi-${c.id}`, status: 'running', title: `matrix ${c.id.slice(0, 8)}`,
      grid_code: c.grid, community_code: c.community, street_code: c.street, district_code: c.district,
      reporter_name: '王小明', reporter_phone: '13900001111', address: '历下区示范路 88 号 3 单元', location_lon: 117.02, location_lat: 36.66, created_at: now, updated_at: now,
      form_key: 'event-report', form_version: 1,
      form_values: JSON.stringify({ eventType: '01001', description: '楼道堆放杂物', reporterName: '王小明', reporterPhone: '13900001111', location: { type: 'Point', coordinates: [117.02, 36.66] } }),
    });
    const parties = [
      ...(c.reporter ? [{ relation: 'reporter', user_id: c.reporter }] : []),
      ...(c.handlerDepartment ? [{ relation: 'handler', department_code: c.handlerDepartment }] : []),
      ...(c.cc ? [{ relation: 'cc', user_id: c.cc }] : []),
    ];
    for (const p of parties) await db('case_parties').insert({ case_id: c.id, created_at: now, ...p });
    await db('tasks').insert({
      id: c.taskId, case_id: c.id, process_instance_id: `pi-${c.id}`, process_definition_key: 'matrix', task_definition_key: c.taskKey, name: '处置',
      assignee: c.assignee, status: 'open', created_at: now, last_event_id: 1, form_key: 'event-report', form_version: 1,
    });
    for (const value of c.candidateGroups) await db('task_candidates').insert({ task_id: c.taskId, kind: 'group', value });
  };
  for (const actor of actors) {
    const grid = actor.grids[0] ?? actor.ancestors.grid ?? baseGrids.find((g) => actor.ancestors.community && g.startsWith(actor.ancestors.community))
      ?? baseGrids.find((g) => actor.ancestors.street && g.startsWith(actor.ancestors.street)) ?? (baseGrids[0] as string);
    const at = await ancestorsOf(db, grid);
    const c: FixtureCase = {
      id: randomUUID(), taskId: `task-${randomUUID()}`, taskKey: 'handle', grid, community: at.community ?? '', street: at.street ?? '', district: at.district ?? '',
      reporter: actor.userId, handlerDepartment: actor.department, cc: actor.userId, assignee: actor.username, candidateGroups: [actor.role],
    };
    await add(c);
    inScope.set(actor.role, c);
  }
  const outOfScope: FixtureCase = {
    id: randomUUID(), taskId: `task-${randomUUID()}`, taskKey: 'handle', grid: '370103001001001', community: '370103001001', street: '370103001', district: '370103',
    reporter: null, handlerDepartment: null, cc: null, assignee: null, candidateGroups: [],
  };
  await add(outOfScope);
  const records: FixtureRecord[] = [];
  const recordInScope = new Map<string, FixtureRecord>();
  for (const c of [...inScope.values(), outOfScope]) {
    const rec = await addRecord(db, c, now);
    records.push(rec);
    for (const [role, rc] of inScope) if (rc === c) recordInScope.set(role, rec);
  }
  const recordOutOfScope = records[records.length - 1] as FixtureRecord;
  const users = (await db('users').where({ status: 'active' }).select('username', 'org_unit_code', 'department_code') as { username: string; org_unit_code: string; department_code: string | null }[])
    .map((u) => ({ username: u.username, orgUnit: u.org_unit_code, department: u.department_code }));
  const sod = (await db('sod_rules').where({ active: true }).select('rule') as { rule: string }[]).map((r) => JSON.parse(r.rule) as SeparationOfDutiesRule);
  return { actors, cases, users, sod, inScope, outOfScope, records, recordInScope, recordOutOfScope, subtree };
}

/** The raw ID number of every fixture person (to see whether it is shown in clear). */
export const RAW_ID_NUMBER = '370102198001010014';

let houses = 0;
/** Inserts a person and a house in the grid of a case, linked (居住). */
async function addRecord(db: Knex, c: FixtureCase, now: Date): Promise<FixtureRecord> {
  const rec: FixtureRecord = { id: randomUUID(), grid: c.grid, community: c.community, street: c.street, district: c.district, linkId: randomUUID() };
  const place = { grid_code: c.grid, community_code: c.community, street_code: c.street, district_code: c.district };
  const common = { form_version: 1, version: 1, status: 'active', created_by: 1, created_at: now, updated_by: 1, updated_at: now, ...place };
  const person = { name: '孙大伟', idNumber: RAW_ID_NUMBER, phone: '13900002222', grid: c.grid, category: '常住人口' };
  await db('register_records').insert({ id: rec.id, register: 'population', form_key: 'population', title: person.name, identity_digest: null, form_values: JSON.stringify(person), ...common });
  const houseId = randomUUID();
  const house = { houseCode: `M-${++houses}`, address: '历下区示范路 88 号', grid: c.grid, usage: '自住' };
  await db('register_records').insert({ id: houseId, register: 'house', form_key: 'house', title: house.address, identity_digest: null, form_values: JSON.stringify(house), ...common });
  await db('register_links').insert({ id: rec.linkId, relation: 'residence', from_record: rec.id, to_record: houseId, kind: '户主', created_by: 1, created_at: now });
  return rec;
}

/** Whether the actor may do `action` on a population record (`field`: a sensitive kind, for unmask). */
export function oracleRecord(a: Actor, action: AccessAction, r: FixtureRecord, field?: string): boolean {
  const within = (level: RoleScope) => {
    if (level === 'department' || level === 'self') return false;
    const c = { grid: r.grid, community: r.community, street: r.street, district: r.district, reporter: null, handlerDepartment: null } as unknown as FixtureCase;
    return caseWithin(a, level, c);
  };
  return a.permissions.some((p) => p.subject === 'RegisterRecord' && p.actions.includes(action)
    && (!p.within || within(p.within === 'scope' ? a.scope : p.within))
    && (!p.registers || p.registers.includes('population'))
    && (!field || !p.fields || p.fields.includes(field)));
}

function relationsToCase(a: Actor, c: FixtureCase): Set<string> {
  const r = new Set<string>();
  if (c.reporter === a.userId) r.add('reporter');
  if (c.cc === a.userId) r.add('cc');
  if (a.department && c.handlerDepartment === a.department) r.add('handler');
  const groups = [a.role, ...(a.department ? [`dept:${a.department}`] : []), `org:${a.orgUnit}`];
  if (c.assignee === a.username) r.add('assignee');
  if (c.candidateGroups.some((g) => groups.includes(g))) r.add('candidate');
  return r;
}

function caseWithin(a: Actor, level: RoleScope, c: FixtureCase): boolean {
  switch (level) {
    case 'grid': return (a.grids.length ? a.grids : a.ancestors.grid ? [a.ancestors.grid] : []).includes(c.grid);
    case 'community': return Boolean(a.ancestors.community) && a.ancestors.community === c.community;
    case 'street': return Boolean(a.ancestors.street) && a.ancestors.street === c.street;
    case 'district': return Boolean(a.ancestors.district) && a.ancestors.district === c.district;
    case 'department': return Boolean(a.department) && a.department === c.handlerDepartment;
    case 'self': return c.reporter === a.userId;
  }
}

function userWithin(w: World, a: Actor, level: RoleScope, u: FixtureUser): boolean {
  if (level === 'department') return Boolean(a.department) && a.department === u.department;
  if (level === 'self') return a.username === u.username;
  if (level === 'grid') return (a.grids.length ? a.grids : a.ancestors.grid ? [a.ancestors.grid] : []).includes(u.orgUnit);
  const root = a.ancestors[level];
  return Boolean(root) && w.subtree(root as string).has(u.orgUnit);
}

/** Whether the actor may do `action` on a case (or its task). */
export function oracleCase(w: World, a: Actor, action: AccessAction, subject: 'Case' | 'Task', c: FixtureCase): boolean {
  const rel = relationsToCase(a, c);
  const allowed = a.permissions.some((p) => p.subject === subject && p.actions.includes(action)
    && (!p.within || caseWithin(a, p.within === 'scope' ? a.scope : p.within, c))
    && (!p.relations || p.relations.some((r) => rel.has(r))));
  const forbidden = w.sod.some((s) => s.subject === subject && s.actions.includes(action) && s.relations.some((r) => rel.has(r)) && (!s.tasks || s.tasks.includes(c.taskKey)));
  return allowed && !forbidden;
}

/** Whether the actor may do `action` on a user account. */
export function oracleUser(w: World, a: Actor, action: AccessAction, u: FixtureUser): boolean {
  const allowed = a.permissions.some((p) => p.subject === 'User' && p.actions.includes(action)
    && (!p.within || userWithin(w, a, p.within === 'scope' ? a.scope : p.within, u))
    && (!p.relations || (p.relations.includes('self') && u.username === a.username)));
  const forbidden = w.sod.some((s) => s.subject === 'User' && s.actions.includes(action) && s.relations.includes('self') && u.username === a.username);
  return allowed && !forbidden;
}

/** Whether the actor has any permission for an action on a subject (what lets a route be entered at all). */
export function oracleAny(a: Actor, action: AccessAction, subject: AccessSubject): boolean {
  return a.permissions.some((p) => p.subject === subject && p.actions.includes(action));
}
