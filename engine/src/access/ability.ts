/**
 * Abilities (CASL) from the access policy: a role's permissions become rules conditioned on the
 * user's org scope and relation to the object; separation-of-duties rules become `cannot` rules.
 * Conditions use only fields the runtime can turn into SQL (see the runtime's subject maps):
 *   Case/Task: gridCode, communityCode, streetCode, districtCode, departments[], relation[], taskDefinitionKey
 *   User: username, orgUnitCode, departmentCode
 *   OrgUnit: code
 *   RegisterRecord: gridCode, communityCode, streetCode, districtCode, register
 * CASL treats the action `manage` as "every action", so GridFlow's actions never use that word.
 */
import { createMongoAbility, subject as tag } from '@casl/ability';
import type { MongoAbility, MongoQuery, RawRuleOf } from '@casl/ability';
import type { AccessAction, AccessRelation, AccessSubject, Permission, RoleScope } from '../definitions/model.ts';
import type { AccessPolicy, Principal } from './principal.ts';

/** What a user may do. */
export type AppAbility = MongoAbility<[AccessAction, AccessSubject | TaggedSubject], MongoQuery>;
/** A plain record tagged with its subject type. */
export type TaggedSubject = { __caslSubjectType__: AccessSubject } & Record<string, unknown>;

type Conditions = Record<string, unknown>;
type RawRule = Omit<RawRuleOf<AppAbility>, 'conditions'> & { conditions?: Conditions };
/** Matches nothing: a scope the user lacks (e.g. a grid role without grids). */
const NOTHING = (field: string): Conditions => ({ [field]: { $in: [] } });

/** Tags a plain record as a subject for CASL checks. */
export function asSubject(type: AccessSubject, record: Record<string, unknown>): TaggedSubject {
  return tag(type, { ...record }) as TaggedSubject;
}

function levelCode(p: Principal, level: 'grid' | 'community' | 'street' | 'district'): string | undefined {
  if (level === 'grid') return undefined;
  return p[level];
}

/** Condition for "inside the user's scope at this level". */
function withinConditions(subject: AccessSubject, level: RoleScope, p: Principal): Conditions {
  if (subject === 'RegisterRecord' && (level === 'department' || level === 'self')) return NOTHING('gridCode');
  if (subject === 'Case' || subject === 'Task' || subject === 'RegisterRecord') {
    if (level === 'grid') return p.grids.length ? { gridCode: { $in: p.grids } } : NOTHING('gridCode');
    if (level === 'department') return p.departmentCode ? { departments: { $in: [p.departmentCode] } } : NOTHING('departments');
    if (level === 'self') return { relation: { $in: ['reporter'] } };
    const code = levelCode(p, level);
    const field = `${level}Code`;
    return code ? { [field]: code } : NOTHING(field);
  }
  if (subject === 'User' || subject === 'OrgUnit') {
    const field = subject === 'User' ? 'orgUnitCode' : 'code';
    if (level === 'grid') return p.grids.length ? { [field]: { $in: p.grids } } : NOTHING(field);
    if (level === 'department') return subject === 'User' && p.departmentCode ? { departmentCode: p.departmentCode } : NOTHING(field);
    if (level === 'self') return subject === 'User' ? { username: p.username } : NOTHING(field);
    const units = p.subtrees[level];
    return units?.length ? { [field]: { $in: units } } : NOTHING(field);
  }
  return {};
}

/** Condition for "the user has one of these relations to the object". */
function relationConditions(subject: AccessSubject, relations: AccessRelation[], p: Principal): Conditions {
  if (subject === 'User') return relations.includes('self') ? { username: p.username } : NOTHING('username');
  if (subject === 'Case' || subject === 'Task') return { relation: { $in: relations.filter((r) => r !== 'self') } };
  return NOTHING('id');
}

function conditionsOf(perm: Permission, scope: RoleScope, p: Principal): Conditions | undefined {
  const parts: Conditions[] = [];
  if (perm.within) parts.push(withinConditions(perm.subject, perm.within === 'scope' ? scope : perm.within, p));
  if (perm.relations) parts.push(relationConditions(perm.subject, perm.relations, p));
  if (perm.registers) parts.push({ register: { $in: perm.registers } });
  if (parts.length === 0) return undefined;
  const merged: Conditions = {};
  for (const part of parts) {
    for (const [key, value] of Object.entries(part)) {
      // Two limits on the same field (e.g. within self and relations) intersect.
      const previous = merged[key] as { $in?: unknown[] } | undefined;
      const next = value as { $in?: unknown[] };
      merged[key] = previous?.$in && next.$in ? { $in: previous.$in.filter((v) => next.$in?.includes(v)) } : value;
    }
  }
  return merged;
}

/** Builds the ability of a principal under the policy. */
export function defineAbility(p: Principal, policy: AccessPolicy): AppAbility {
  const rules: RawRule[] = [];
  for (const code of p.roles) {
    const role = policy.roles.get(code);
    if (!role) continue;
    for (const perm of role.permissions) {
      const conditions = conditionsOf(perm, role.scope, p);
      rules.push({ action: perm.actions, subject: perm.subject, ...(perm.fields ? { fields: perm.fields } : {}), ...(conditions ? { conditions } : {}) });
    }
  }
  // `cannot` rules come last so that they win over every role's `can`.
  for (const rule of policy.separationOfDuties) {
    const conditions: Conditions = rule.subject === 'User'
      ? (rule.relations.includes('self') ? { username: p.username } : NOTHING('username'))
      : { relation: { $in: rule.relations } };
    if (rule.tasks) conditions.taskDefinitionKey = { $in: rule.tasks };
    rules.push({ action: rule.actions, subject: rule.subject, conditions, inverted: true, reason: rule.code });
  }
  return createMongoAbility<AppAbility>(rules as never, { detectSubjectType: (o) => (o as TaggedSubject).__caslSubjectType__ });
}
