/** Who is acting, with everything access rules need to know of them. */
import type { Permission, RoleScope, SeparationOfDutiesRule, SensitiveField } from '../definitions/model.ts';

/** The signed-in user as seen by access rules. */
export interface Principal {
  userId: number;
  username: string;
  displayName: string;
  roles: string[];
  orgUnitCode: string;
  departmentCode?: string;
  /** Grids the user covers (grid workers). */
  grids: string[];
  /** The user's org unit and its ancestors, by level. */
  district?: string;
  street?: string;
  community?: string;
  /** Org unit codes of the subtree each level scope covers (for scoping users and org units). */
  subtrees: Partial<Record<'community' | 'street' | 'district', string[]>>;
  /** Candidate groups of engine tasks the user belongs to: role codes, department and org unit. */
  groups: string[];
}

/** A role with its scope and permissions, as synced from the active definitions. */
export interface PolicyRole {
  code: string;
  scope: RoleScope;
  permissions: Permission[];
}

/** The access policy of the active definitions. */
export interface AccessPolicy {
  roles: Map<string, PolicyRole>;
  separationOfDuties: SeparationOfDutiesRule[];
  sensitiveFields: SensitiveField[];
}

/** Candidate groups of a user: roles, `dept:<code>` and `org:<code>`. */
export function groupsOf(p: Pick<Principal, 'roles' | 'departmentCode' | 'orgUnitCode'>): string[] {
  return [...p.roles, ...(p.departmentCode ? [`dept:${p.departmentCode}`] : []), `org:${p.orgUnitCode}`];
}
