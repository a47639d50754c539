/** Cross-checks of role permissions and the access policy: what each subject can be limited by. */
import type { CheckContext } from './check-context.ts';
import type { AccessSubject } from './model.ts';

/** Subjects that live in the org tree (can be limited by `within`). */
const SCOPED: ReadonlySet<AccessSubject> = new Set(['Case', 'Task', 'User', 'OrgUnit', 'RegisterRecord']);
/** Subjects users can be related to (can be limited by `relations`). */
const RELATED: ReadonlySet<AccessSubject> = new Set(['Case', 'Task', 'User']);

/** Checks permissions against the subjects' capabilities and the declared sensitive fields. */
export function checkAccess(ctx: CheckContext): void {
  const sensitive = new Set((ctx.data.access?.sensitiveFields ?? []).map((f) => `${f.subject}.${f.field}`));
  (ctx.data.roles?.roles ?? []).forEach((role, i) => {
    (role.permissions ?? []).forEach((perm, j) => {
      const here = (p: string) => ctx.at('roles', `/roles/${i}/permissions/${j}${p}`);
      if (perm.within && !SCOPED.has(perm.subject)) ctx.problems.error('access.notScoped', here('/within'), { subject: perm.subject });
      if (perm.relations && !RELATED.has(perm.subject)) ctx.problems.error('access.notRelated', here('/relations'), { subject: perm.subject });
      perm.relations?.forEach((r, k) => {
        if ((r === 'self') !== (perm.subject === 'User')) ctx.problems.error('access.badRelation', here(`/relations/${k}`), { relation: r, subject: perm.subject });
      });
      if (perm.fields && !perm.actions.every((a) => a === 'unmask')) ctx.problems.error('access.fieldsOnlyForUnmask', here('/fields'), {});
      perm.fields?.forEach((f, k) => {
        if (!sensitive.has(`${perm.subject}.${f}`)) ctx.problems.error('access.notSensitive', here(`/fields/${k}`), { field: `${perm.subject}.${f}` });
      });
    });
  });
  (ctx.data.access?.separationOfDuties ?? []).forEach((rule, i) => {
    const here = (p: string) => ctx.at('access', `/separationOfDuties/${i}${p}`);
    if (!RELATED.has(rule.subject)) ctx.problems.error('access.notRelated', here('/subject'), { subject: rule.subject });
    if (rule.tasks && rule.subject !== 'Task') ctx.problems.error('access.tasksOnlyForTask', here('/tasks'), {});
    rule.relations.forEach((r, k) => {
      if ((r === 'self') !== (rule.subject === 'User')) ctx.problems.error('access.badRelation', here(`/relations/${k}`), { relation: r, subject: rule.subject });
    });
  });
}
