/** Cross-checks of the event catalogue and the responsibility list. */
import type { CheckContext } from './check-context.ts';
import { indexUnique, known } from './check-context.ts';
import type { Department, OrgUnit, Subclass, TimeLimit } from './model.ts';

function checkStages(ctx: CheckContext, limit: TimeLimit | undefined, kind: 'catalogue' | 'responsibilities', pointer: string): void {
  if (!limit?.stages) return;
  const sameType = limit.stages.every((s) => s.type === limit.type);
  if (!sameType) return;
  const sum = limit.stages.reduce((total, s) => total + s.amount, 0);
  if (sum !== limit.amount) ctx.problems.error('catalogue.stageTotal', ctx.at(kind, `${pointer}/amount`), { sum, amount: limit.amount });
}

/** Checks class and subclass codes and staged limits; returns the subclasses by code. */
export function checkCatalogue(ctx: CheckContext): Map<string, Subclass> {
  const classes = ctx.data.catalogue?.classes ?? [];
  indexUnique(ctx, 'catalogue', '/classes', classes, (c) => c.code, { 'zh-CN': '事件大类', en: 'event class' });
  const flat: { sub: Subclass; pointer: string }[] = [];
  classes.forEach((c, i) => c.subclasses.forEach((sub, j) => flat.push({ sub, pointer: `/classes/${i}/subclasses/${j}` })));
  const subclasses = new Map<string, Subclass>();
  const firstAt = new Map<string, string>();
  for (const { sub, pointer } of flat) {
    const first = firstAt.get(sub.code);
    if (first !== undefined) {
      const loc = ctx.at('catalogue', first);
      ctx.problems.error('duplicate', ctx.at('catalogue', pointer), {
        kind: { 'zh-CN': '事件小类', en: 'event subclass' }, key: sub.code,
        first: loc.position ? `${loc.file}:${loc.position.line}` : loc.file,
      });
      continue;
    }
    firstAt.set(sub.code, pointer);
    subclasses.set(sub.code, sub);
  }
  classes.forEach((c, i) => c.subclasses.forEach((sub, j) => {
    const pointer = `/classes/${i}/subclasses/${j}`;
    if (!sub.code.startsWith(c.code)) ctx.problems.error('catalogue.subclassPrefix', ctx.at('catalogue', `${pointer}/code`), { code: sub.code, classCode: c.code });
    checkStages(ctx, sub.timeLimit, 'catalogue', `${pointer}/timeLimit`);
  }));
  return subclasses;
}

/** Checks every responsibility entry's subclass, scope and departments; warns on undispatchable subclasses. */
export function checkResponsibilities(
  ctx: CheckContext, subclasses: Map<string, Subclass>, departments: Map<string, Department>, units: Map<string, OrgUnit>,
): void {
  const list = ctx.data.responsibilities?.responsibilities;
  indexUnique(ctx, 'responsibilities', '/responsibilities', list, (r) => `${r.subclass}${r.scope ? `@${r.scope}` : ''}`,
    { 'zh-CN': '职责清单条目', en: 'responsibility entry' });
  const covered = new Set<string>();
  (list ?? []).forEach((r, i) => {
    const here = (p: string) => ctx.at('responsibilities', `/responsibilities/${i}${p}`);
    covered.add(r.subclass);
    if (!known(ctx, 'catalogue', subclasses, r.subclass)) ctx.problems.error('ref.subclass', here('/subclass'), { code: r.subclass });
    if (r.scope && !known(ctx, 'orgUnits', units, r.scope)) ctx.problems.error('ref.orgUnit', here('/scope'), { code: r.scope });
    const primaries = r.departments.filter((d) => d.role === 'primary').length;
    if (primaries !== 1) ctx.problems.error('resp.primaryCount', here('/departments'), { count: primaries });
    const seen = new Set<string>();
    r.departments.forEach((d, j) => {
      if (!known(ctx, 'departments', departments, d.code)) ctx.problems.error('ref.department', here(`/departments/${j}/code`), { code: d.code });
      if (seen.has(d.code)) ctx.problems.error('resp.departmentTwice', here(`/departments/${j}/code`), { code: d.code });
      seen.add(d.code);
    });
    checkStages(ctx, r.timeLimit, 'responsibilities', `/responsibilities/${i}/timeLimit`);
  });
  if (list && list.length > 0) {
    const classes = ctx.data.catalogue?.classes ?? [];
    classes.forEach((c, i) => c.subclasses.forEach((sub, j) => {
      if (!covered.has(sub.code)) ctx.problems.warn('catalogue.noResponsibility', ctx.at('catalogue', `/classes/${i}/subclasses/${j}`), { code: sub.code });
    }));
  }
}
