/**
 * Loads principals and the access policy from the tables the active definitions were synced into.
 * The policy is cached and reloaded when a definitions version is published or activated.
 */
import type { Knex } from 'knex';
import { definitionsFingerprint } from '../definitions/definitions.store.ts';
import { groupsOf } from '@gridflow/engine';
import type { AccessPolicy, Permission, Principal, RoleScope, SensitiveField, SeparationOfDutiesRule, AccessSubject, SensitiveKind } from '@gridflow/engine';

interface OrgNode { code: string; level: string; parent: string | null }

/** The access policy with the org tree it scopes over. */
export interface LoadedPolicy extends AccessPolicy {
  units: Map<string, OrgNode>;
  children: Map<string, string[]>;
}

/** Caches the policy per definitions state (a cheap fingerprint query per request). */
export class PolicyLoader {
  private cached: { fingerprint: string; policy: LoadedPolicy } | undefined;

  constructor(private readonly db: Knex) {}

  /** The current policy. */
  async policy(): Promise<LoadedPolicy> {
    const fingerprint = await definitionsFingerprint(this.db);
    if (this.cached?.fingerprint !== fingerprint) this.cached = { fingerprint, policy: await this.load() };
    return this.cached.policy;
  }

  /** Forgets the cached policy (after changes made outside definitions publishing). */
  invalidate(): void {
    this.cached = undefined;
  }

  private async load(): Promise<LoadedPolicy> {
    const roleRows = await this.db('roles').where({ active: true }).select('code', 'scope', 'permissions') as { code: string; scope: RoleScope; permissions: string | null }[];
    const sodRows = await this.db('sod_rules').where({ active: true }).select('rule') as { rule: string }[];
    const fieldRows = await this.db('sensitive_fields').where({ active: true }).select('subject', 'field', 'kind') as { subject: AccessSubject; field: string; kind: SensitiveKind }[];
    const unitRows = await this.db('org_units').where({ active: true }).select('code', 'level', 'parent_code') as { code: string; level: string; parent_code: string | null }[];
    const units = new Map(unitRows.map((u) => [u.code, { code: u.code, level: u.level, parent: u.parent_code }]));
    const children = new Map<string, string[]>();
    for (const u of units.values()) if (u.parent) children.set(u.parent, [...(children.get(u.parent) ?? []), u.code]);
    return {
      roles: new Map(roleRows.map((r) => [r.code, { code: r.code, scope: r.scope, permissions: JSON.parse(r.permissions ?? '[]') as Permission[] }])),
      separationOfDuties: sodRows.map((r) => JSON.parse(r.rule) as SeparationOfDutiesRule),
      sensitiveFields: fieldRows as SensitiveField[],
      units,
      children,
    };
  }
}

function subtree(policy: LoadedPolicy, code: string): string[] {
  const out: string[] = [];
  const stack = [code];
  while (stack.length > 0) {
    const next = stack.pop() as string;
    out.push(next);
    stack.push(...(policy.children.get(next) ?? []));
  }
  return out;
}

/** Credential state read with the principal (for forced password changes). */
export interface AccountState {
  mustChangePassword: boolean;
  passwordChangedAt: unknown;
}

/** The principal of an active user with their credential state, or undefined when the user is missing or not active. */
export async function loadPrincipal(db: Knex, policy: LoadedPolicy, userId: number): Promise<{ principal: Principal; account: AccountState } | undefined> {
  const user = await db('users').where({ id: userId, status: 'active' })
    .first('id', 'username', 'display_name', 'org_unit_code', 'department_code', 'must_change_password', 'password_changed_at') as
    { id: number; username: string; display_name: string; org_unit_code: string; department_code: string | null; must_change_password: unknown; password_changed_at: unknown } | undefined;
  if (!user) return undefined;
  const roles = (await db('user_roles').where({ user_id: userId }).select('role_code') as { role_code: string }[]).map((r) => r.role_code).sort();
  let grids = (await db('user_grids').where({ user_id: userId }).select('grid_code') as { grid_code: string }[]).map((g) => g.grid_code).sort();
  const ancestors: Partial<Record<string, string>> = {};
  for (let unit = policy.units.get(user.org_unit_code); unit; unit = unit.parent ? policy.units.get(unit.parent) : undefined) {
    ancestors[unit.level] ??= unit.code;
  }
  if (grids.length === 0 && ancestors.grid) grids = [ancestors.grid];
  const principal: Principal = {
    userId: user.id, username: user.username, displayName: user.display_name, roles, orgUnitCode: user.org_unit_code, grids,
    subtrees: {}, groups: [],
    ...(user.department_code ? { departmentCode: user.department_code } : {}),
  };
  for (const level of ['district', 'street', 'community'] as const) {
    const code = ancestors[level];
    if (code) {
      principal[level] = code;
      principal.subtrees[level] = subtree(policy, code);
    }
  }
  principal.groups = groupsOf(principal);
  return { principal, account: { mustChangePassword: Boolean(user.must_change_password), passwordChangedAt: user.password_changed_at } };
}
