/**
 * Who is in a task's candidate groups, asked of the database: the inverse of `groupsOf` (role,
 * `role@orgUnit`, `dept:<code>`, `org:<code>`, `grid:<code>`), so finding the people of a task never
 * loads every account.
 */
import type { Knex } from 'knex';

/** Adds "is a member of this group" to a users query (as an OR branch). */
function memberOf(q: Knex.QueryBuilder, group: string): void {
  const [prefix, rest] = group.includes(':') ? [group.slice(0, group.indexOf(':')), group.slice(group.indexOf(':') + 1)] : [undefined, group];
  const hasRole = (role: string) => (s: Knex.QueryBuilder) => s.select(s.client.raw('1')).from('user_roles as ur').whereRaw('ur.user_id = users.id').where('ur.role_code', role);
  if (prefix === 'dept') q.orWhere('users.department_code', rest);
  else if (prefix === 'org') q.orWhere('users.org_unit_code', rest);
  else if (prefix === 'grid') q.orWhereExists((s) => s.select(s.client.raw('1')).from('user_grids as ug').whereRaw('ug.user_id = users.id').where('ug.grid_code', rest));
  else if (prefix === undefined && rest.includes('@')) {
    const [role = '', org = ''] = rest.split('@');
    q.orWhere((w) => w.where('users.org_unit_code', org).whereExists(hasRole(role)));
  } else if (prefix === undefined) q.orWhereExists(hasRole(rest));
}

/** Ids of the active users who are candidates by these groups or usernames. */
export async function usersInGroups(db: Knex | Knex.Transaction, groups: readonly string[], usernames: readonly string[] = []): Promise<number[]> {
  if (groups.length === 0 && usernames.length === 0) return [];
  const rows = await db('users').where('users.status', 'active').where((any) => {
    for (const g of groups) memberOf(any, g);
    if (usernames.length > 0) any.orWhereIn('users.username', [...usernames]);
  }).select('users.id') as { id: number }[];
  return rows.map((r) => Number(r.id));
}

/** Ids of the candidates of an open task (its candidate groups and users). */
export async function taskCandidates(db: Knex | Knex.Transaction, taskId: string): Promise<number[]> {
  const rows = await db('task_candidates').where({ task_id: taskId }).select('kind', 'value') as { kind: string; value: string }[];
  return usersInGroups(db, rows.filter((c) => c.kind === 'group').map((c) => c.value), rows.filter((c) => c.kind === 'user').map((c) => c.value));
}
