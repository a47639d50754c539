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

/**
 * Candidate groups of a user: each role (`street-dispatcher`), each role in the user's org unit
 * (`street-dispatcher@110105001`), the department (`dept:<code>`), the org unit (`org:<code>`) and
 * each grid the user covers (`grid:<code>`). Processes name the scoped forms, e.g.
 * `camunda:candidateGroups="street-dispatcher@${streetCode}"`.
 */
export function groupsOf(p: Pick<Principal, 'roles' | 'departmentCode' | 'orgUnitCode' | 'grids'>): string[] {
  return [
    ...p.roles, ...p.roles.map((r) => `${r}@${p.orgUnitCode}`), ...(p.departmentCode ? [`dept:${p.departmentCode}`] : []),
    `org:${p.orgUnitCode}`, ...p.grids.map((g) => `grid:${g}`),
  ];
}
