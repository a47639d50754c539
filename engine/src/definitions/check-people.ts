/** Cross-checks of departments, roles and seed users against the org tree. */
import type { CheckContext } from './check-context.ts';
import { indexUnique, known } from './check-context.ts';
import type { Department, OrgUnit, Role } from './model.ts';

/** Checks departments and returns them by code. */
export function checkDepartments(ctx: CheckContext, units: Map<string, OrgUnit>): Map<string, Department> {
  const list = ctx.data.departments?.departments;
  const byCode = indexUnique(ctx, 'departments', '/departments', list, (d) => d.code, { 'zh-CN': '部门', en: 'department' });
  (list ?? []).forEach((d, i) => {
    if (!known(ctx, 'orgUnits', units, d.orgUnit)) ctx.problems.error('ref.orgUnit', ctx.at('departments', `/departments/${i}/orgUnit`), { code: d.orgUnit });
  });
  return byCode;
}

/** Checks roles and returns them by code. */
export function checkRoles(ctx: CheckContext): Map<string, Role> {
  return indexUnique(ctx, 'roles', '/roles', ctx.data.roles?.roles, (r) => r.code, { 'zh-CN': '角色', en: 'role' });
}

/** Checks that every user's org unit, roles, grids and department exist. */
export function checkUsers(ctx: CheckContext, units: Map<string, OrgUnit>, departments: Map<string, Department>, roles: Map<string, Role>): void {
  const list = ctx.data.users?.users;
  indexUnique(ctx, 'users', '/users', list, (u) => u.username, { 'zh-CN': '用户名', en: 'username' });
  (list ?? []).forEach((u, i) => {
    const here = (p: string) => ctx.at('users', `/users/${i}${p}`);
    if (!known(ctx, 'orgUnits', units, u.orgUnit)) ctx.problems.error('ref.orgUnit', here('/orgUnit'), { code: u.orgUnit });
    u.roles.forEach((r, j) => {
      if (!known(ctx, 'roles', roles, r)) ctx.problems.error('ref.role', here(`/roles/${j}`), { code: r });
    });
    (u.grids ?? []).forEach((g, j) => {
      const unit = units.get(g);
      if (ctx.skip.has('orgUnits')) return;
      if (!unit) ctx.problems.error('ref.orgUnit', here(`/grids/${j}`), { code: g });
      else if (unit.level !== 'grid') ctx.problems.error('ref.grid', here(`/grids/${j}`), { code: g });
    });
    if (u.department && !known(ctx, 'departments', departments, u.department)) ctx.problems.error('ref.department', here('/department'), { code: u.department });
  });
}
